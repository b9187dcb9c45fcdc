/** Word lists for the generated data. Names are common given and family names; nothing here is a real person. */

export const FIRST_NAMES = [
  'Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Grace', 'Leo',
  'Freya', 'Oscar', 'Lily', 'Harry', 'Ella', 'Jack', 'Sophie', 'Charlie', 'Evie', 'Thomas',
  'Aoife', 'Cian', 'Niamh', 'Darragh', 'Siobhan', 'Fionn', 'Priya', 'Arjun', 'Aisha', 'Omar',
  'Zara', 'Yusuf', 'Mei', 'Wei', 'Hana', 'Kenji', 'Lucia', 'Mateo', 'Elena', 'Luca',
  'Chloe', 'Samuel', 'Ruby', 'Daniel', 'Maya', 'Joseph', 'Emily', 'Ethan', 'Hannah', 'Alfie',
  'Fatima', 'Ibrahim', 'Ines', 'Tomas', 'Olga', 'Piotr', 'Ingrid', 'Lars', 'Chiara', 'Marco',
] as const;

export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright',
  'Walker', 'Thompson', 'Robinson', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Clarke', 'Harris',
  "O'Brien", 'Murphy', 'Kelly', 'Byrne', 'Ryan', 'Walsh', 'McCarthy', 'Doyle', 'Campbell', 'MacDonald',
  'Khan', 'Ahmed', 'Singh', 'Chen', 'Nguyen', 'Kowalski', 'Novak', 'Rossi', 'Garcia', 'Silva',
  'Fischer', 'Becker', 'Dubois', 'Moreau', 'Jansen', 'de Vries', 'Lindqvist', 'Berg', 'Costa', 'Okafor',
  'Mensah', 'Adeyemi', 'Tanaka', 'Sato', 'Kim', 'Park', 'Ferreira', 'Lopez', 'Haddad', 'Evans',
] as const;

export const STREETS = [
  'Market Street', 'Canal Road', 'Station Approach', 'Mill Lane', 'Church Street', 'Harbour Walk',
  'Victoria Road', 'Queen Street', 'Albert Terrace', 'Castle Wynd', 'Quay Street', 'Park Crescent',
  'Orchard Close', 'Foundry Lane', 'Granary Row', 'Weaver Street', 'Printworks Yard', 'Dock Road',
] as const;

export const COMPANY_WORDS = [
  'Northwind', 'Bluebell', 'Kestrel', 'Lumen', 'Copperleaf', 'Harbourline', 'Brightfield', 'Fernhill',
  'Ironbridge', 'Saltmarsh', 'Redkite', 'Oakmere', 'Silverbirch', 'Tidewater', 'Greystone', 'Moorgate',
  'Larkspur', 'Whitecliff', 'Elmstead', 'Foxglove',
] as const;

export const COMPANY_TRADES = [
  'Analytics', 'Design', 'Studio', 'Consulting', 'Labs', 'Media', 'Software', 'Architects',
  'Partners', 'Robotics', 'Foods', 'Legal', 'Health', 'Ventures', 'Digital',
] as const;

export const COMPANY_SUFFIXES = ['Ltd', 'LLP', 'Limited', 'Co.', 'Group', 'plc'] as const;

export const BOOKING_TITLES = [
  'Team stand-up', 'Client workshop', 'Quarterly planning', 'Design review', 'Interview',
  'Sales call', 'Board meeting', 'Product demo', 'Focus time', 'Training session',
  'Hiring panel', 'Sprint retrospective', 'Investor update', 'Lunch and learn', 'Onboarding',
] as const;

export const MEMBER_NOTE_TEMPLATES = [
  'Prefers to be contacted at {email} rather than by phone.',
  'Emergency contact number on file: {phone}.',
  'Asked for a standing desk near the window.',
  'Brings a dog on Fridays; agreed with the community manager.',
  'Runs a monthly meetup for founders in the event space.',
  'Late payment in the spring, settled since. Reach {firstName} on {phone} if it happens again.',
  'Interested in moving to a private office next quarter.',
  'Key fob replaced after loss; new fob registered to {email}.',
  'Allergic to nuts: let the kitchen team know before events.',
  'Referred three new members this year.',
] as const;

export const BOOKING_NOTE_TEMPLATES = [
  'Catering for {count} requested by {firstName}.',
  'Projector needed; call {phone} if it is unavailable.',
  'External guests expected; send the visitor list to {email}.',
  'Please set the room up in boardroom style.',
  'Recurring weekly; check with {firstName} before moving it.',
] as const;

export const PLAN_DEFINITIONS = [
  { name: 'Hot desk day pass', price: 25, interval: 'day', description: 'One day at any free desk.', active: true },
  { name: 'Hot desk monthly', price: 250, interval: 'month', description: 'Any free desk, every weekday.', active: true },
  { name: 'Fixed desk', price: 400, interval: 'month', description: 'Your own desk with a locker.', active: true },
  { name: 'Private office', price: 1200, interval: 'month', description: 'A lockable office for up to four.', active: true },
  { name: 'Virtual office', price: 60, interval: 'month', description: 'Business address and mail handling.', active: true },
  { name: 'Community', price: 90, interval: 'month', description: 'Events and five desk days a month.', active: true },
  { name: 'Annual hot desk', price: 2500, interval: 'year', description: 'Hot desk monthly, paid yearly.', active: true },
  { name: 'Night owl', price: 150, interval: 'month', description: 'Evenings and weekends only.', active: false },
] as const;
