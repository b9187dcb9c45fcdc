/**
 * The five fixed locations of the demo platform. They do not depend on the seed, so tests and
 * documentation can name them; `LOCATION_ADMIN_LOCATION` is the one location-admin account's.
 */

export interface DemoLocation {
  id: string;
  name: string;
  city: string;
  address: string;
  timezone: string;
  capacity: number;
  openedOn: string;
  currency: 'GBP' | 'EUR';
  /** Reserved-for-drama land-line prefix (Ofcom) used for people living near the location. */
  landLinePrefix: { international: string; local: string };
  postCodeAreas: readonly string[];
}

export const LOCATIONS: readonly DemoLocation[] = [
  {
    id: 'loc_01',
    name: 'London Shoreditch',
    city: 'London',
    address: '1 Printworks Yard, London E2 7XX',
    timezone: 'Europe/London',
    capacity: 420,
    openedOn: '2016-03-01',
    currency: 'GBP',
    landLinePrefix: { international: '+44 20 7946 0', local: '020 7946 0' },
    postCodeAreas: ['E1', 'E2', 'EC1V', 'N1', 'E8'],
  },
  {
    id: 'loc_02',
    name: 'Manchester Northern Quarter',
    city: 'Manchester',
    address: '14 Foundry Lane, Manchester M4 1XX',
    timezone: 'Europe/London',
    capacity: 260,
    openedOn: '2018-09-17',
    currency: 'GBP',
    landLinePrefix: { international: '+44 161 496 0', local: '0161 496 0' },
    postCodeAreas: ['M1', 'M4', 'M15', 'M20'],
  },
  {
    id: 'loc_03',
    name: 'Bristol Harbourside',
    city: 'Bristol',
    address: '3 Harbour Walk, Bristol BS1 5XX',
    timezone: 'Europe/London',
    capacity: 180,
    openedOn: '2019-05-06',
    currency: 'GBP',
    landLinePrefix: { international: '+44 117 496 0', local: '0117 496 0' },
    postCodeAreas: ['BS1', 'BS2', 'BS6', 'BS8'],
  },
  {
    id: 'loc_04',
    name: 'Edinburgh Old Town',
    city: 'Edinburgh',
    address: '22 Castle Wynd, Edinburgh EH1 2XX',
    timezone: 'Europe/London',
    capacity: 150,
    openedOn: '2020-10-12',
    currency: 'GBP',
    landLinePrefix: { international: '+44 131 496 0', local: '0131 496 0' },
    postCodeAreas: ['EH1', 'EH3', 'EH6', 'EH8'],
  },
  {
    id: 'loc_05',
    name: 'Dublin Docklands',
    city: 'Dublin',
    address: '9 Dock Road, Dublin D02 XX00',
    timezone: 'Europe/Dublin',
    capacity: 200,
    openedOn: '2021-04-19',
    currency: 'EUR',
    // Ireland has no drama range; the Manchester one keeps every number in a reserved block.
    landLinePrefix: { international: '+44 161 496 0', local: '0161 496 0' },
    postCodeAreas: ['D01', 'D02', 'D04', 'D08'],
  },
];

/** The location the `location-admin@example.com` account administers. */
export const LOCATION_ADMIN_LOCATION = { id: 'loc_02', name: 'Manchester Northern Quarter' } as const;
