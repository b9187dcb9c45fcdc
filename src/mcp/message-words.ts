/**
 * The words an upstream's error message may be made of for Gatehouse to pass it on in a redacted
 * session, besides the catalog's names and quotes of the assistant's arguments
 * (src/mcp/upstream-message.ts): the grammar and the nouns of API errors, in English, lower case,
 * each form listed (no plural rule here: `does` would make `doe` a word). Left out on purpose,
 * though messages use them, are words that are also common given names or surnames (`may`, `will`,
 * `mark`, `grant`, `bill`, `price`, `young`, `long`, `don`, `max`, `day`) and month names: an
 * upstream that names a person in a message should not get through because the name is an ordinary
 * word. Some function words are names in some language all the same (`per`, `an`, `do`, `can`): a
 * person named by such words alone gets through (docs/pii.md). Where a missing word is needed, the
 * message is not shown, and the code and Gatehouse's own text still are.
 */
const WORDS = `
about above accept accepted access accessible account accounts action actions active add added
address addresses admin administer administers administration administrator administrators admins
after again against all allow allowed allows already also an and another any api are aren argument
arguments array arrays as asc ascending at authenticate authenticated authentication authorization
authorized available bad be because been before begin being below between blank blocked body booked
booking bookings boolean booleans both but by can cancel canceled cancellation cancelled cannot
capacity change changed changes char character characters chars check checked checkin checkout
choice choices closed code codes command commands companies company complete completed confirm
confirmed conflict conflicting conflicts contact contain contains correct could couldn create
created creating creation credentials current customer customers date dates datetime days dd decimal
delete deleted deleting deletion denied desc descending did didn different disabled do does doesn
done down due duplicate duplicated duplicates during each earlier email empty enabled end ends
ensure enter entities entity entries entry equal equals error errors every example exceed exceeded
exceeds exist existing exists expected expire expired expires fail failed fails failure false field
fields filter filterable filtered filters find first for forbidden format formats formatted formed
found from fully future get given greater has hasn have haven header headers here hh hour hours how
id identifier ids if in inactive include included includes incomplete incorrect instead insufficient
integer integers integration integrations internal into invalid invoice invoices is isn iso it item
items its json key keys large larger last later least length less like limit limited limits list
lists location locations locked log logged login longer mail many match matches matching maximum
member members method minimum minute minutes missing mm modified modify month months more most move
moved multiple must mustn my name names need needed needs negative never new next no none not
nothing now null number numbers numeric object objects of old on once one only open operation
operator operators option optional options or order other our out over overlap overlapping overlaps
own owner page pages paid param parameter parameters params parse parsed password passwords past
path pattern pay payload payment pending per perform performed permission permissions permitted
phone plan plans please positive possible previous privileges process processed processing
properties property provided put query range rate read readonly received record records reference
referenced references refused reject rejected remove removed request requested requests require
required requires resource resources response restore restored result results retry revoked role
roles route same save saved scope scopes search second seconds see selected server service session
sessions set sets shared shorter should shouldn signed since single size slot slots some sort sorted
sorting ss start starts state status still string strings such support supported system taken
temporarily temporary text than that the their them then there these this those time times timestamp
title to today token tokens tomorrow too true try two type types unable unauthorized unavailable
undefined under unexpected unique unknown unless unpaid unprocessable unset unsupported until up
update updated updating upload upstream uri url use used user users uses using utc valid validation
value values version via void voided was wasn well were weren what when where whether which while
with within without would wouldn writable write wrong year years yet you your yyyy
`;

export const MESSAGE_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
