/**
 * The words an upstream's error message may be made of for Gatehouse to pass it on in a redacted
 * session, besides the catalog's names and the assistant's own words (src/mcp/upstream-message.ts):
 * the grammar and the nouns of API errors, in English, lower case. A word here cannot be personal
 * data by itself. Left out on purpose, though messages use them, are words that are also common
 * given names or surnames (`may`, `will`, `mark`, `grant`, `bill`, `price`, `young`, `long`) and
 * month names: an upstream that names a person in a message should not get through because the
 * name is an ordinary word. Where such a word is needed, the message is not shown, and the code and
 * Gatehouse's own text still are.
 */
const WORDS = `
about above accept accepted access account accounts action actions active add added address
addresses admin administer administers administration administrator administrators admins after
again against all allow allowed allows already also an and another any api are aren argument
arguments array arrays as asc ascending at authenticate authenticated authentication authorization
authorized be because been before begin being below between blank blocked body boolean booleans
both but by can cancel cancellation cancelled canceled cannot change changed changes char
character characters chars check checked checkin checkout closed code codes command commands
complete completed confirm confirmed conflict conflicting conflicts contact contain contains
correct could couldn create created creating creation current date dates datetime day days
decimal delete deleted deleting deletion denied desc descending did didn different do does doesn
don done down due duplicate duplicated during each earlier email empty enabled disabled end ends
entity entities entry entries equal equals error errors every example exceed exceeded exceeds
exist existing exists expected expire expired expires fail failed fails failure false field fields
filter filterable filtered filters find first for forbidden format formatted found from future get
greater has hasn have haven header headers here hour hours how id identifier ids if in inactive
incomplete incorrect insufficient instead integer integers internal into invalid is iso isn it item items its json
key keys large larger last later least length less like limit limited limits list lists location locations locked log logged login
longer mail match matches matching max maximum method minimum min minute minutes missing modified
modify month months more most move moved multiple must mustn my name names need needed needs never
new next no none not nothing now null number numbers numeric object objects of old on once one only
open operation operator operators option optional options or order other our out over own owner page
pages param parameter parameters params password passwords past path pattern pay paid payment
pending per perform performed permission permissions permitted phone please possible previous
process processed processing properties  property put query range rate read readonly record records
reference references referenced refused reject rejected remove removed request requested requests
require required requires resource resources response restore restored result results retry revoked
role roles route same save saved scope scopes search second seconds see server service session sessions set
sets shared shorter should shouldn signed since single size small smaller some sort sorted sorting start starts
state status still string strings such support supported system t temporarily temporary text than
that the their them then there these this those time times timestamp title to token tokens too true
try two type types unauthorized unavailable undefined under unexpected unknown unless unset
unsupported until unique up upstream update updated updating upload uri url use used user users uses using utc valid validation
value values version via void voided was wasn were weren what when where whether which while with within
without would wouldn write writable wrong year years yet you your
`;

export const MESSAGE_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
