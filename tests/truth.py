"""Values read by hand from the four sample reports: every indicator row, goal markers and activities.

Every row was read in the raw text (sed -n on its lines, with the table header and the structural guide's §4
column rules and §9 readings); none was copied from the parser. Where the report alone cannot decide a cell
(empty cells are invisible in 000), the cell is written "?" and is not counted.

Row format:  line | period | unit | U;M;K;F;P;A;KF | name
  U utfall, M utfall_man, K utfall_kvinnor, F foregaende_utfall (VB of the year before), P prognos, A arsmal,
  KF kf_arsmal. A value is empty (no cell), a Swedish number ("1 320", "2,7", "-2") or a text cell.
  The unit "-" means no unit is printed in the row; "?" means not checked.

Used by the accuracy tests and, as ground truth, by the generator of report variants (tests/variants.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"
FILES = {
    "000": "000_649e5dab5eff6cea.txt",
    "001": "001_b4dd1f5a7ed00e2b.txt",
    "003": "003_130f0561e7be4d6d.txt",
    "004": "004_ef35c64e421e5e72.txt",
}
VALUE_COLUMNS = ("utfall", "utfall_man", "utfall_kvinnor", "foregaende_utfall", "prognos", "arsmal", "kf_arsmal")
UNSURE = "?"

# 000 Rinkeby-Kista T1 2020, layout text, empty cells invisible. All 78 rows.
# 495: "100 100 100"; l.454 "Samtliga nyanlända har fått erbjudande … inom en månad" makes the first 100 the outcome;
#      whether the middle one is VB 2019 or Prognos cannot be told. 3844/3851/4014: guide §4 rule 5 (unresolved).
# 297: 1 320 is VB 2019 as in 339, where its wrapped unit puts it in the narrow column (guide §4 rule 4).
ROWS_000 = """
233|Tertial 1 2020|%|6,8;;;7;8;8;2,7|Andel barn som lever i familjer som har ekonomiskt bistånd
263|Tertial 1 2020|%|4,35;3,68;4,88;4,42;4,5;4,5;1,5|Andel personer som har ekonomiskt bistånd i förhållande till befolkningen
277|Tertial 1 2020|%|2,83;2,27;3,47;2,88;3;3;1,0|Andel vuxna med långvarigt ekonomiskt bistånd jämfört med samtliga vuxna invånare
291|Tertial 1 2020|st|29;7;22;52;57;57;800|Antal aspiranter som fått Stockholmsjobb
297|Tertial 1 2020|st|;;;1 320;1 100;1 100;Tas fram av nämnd|Antal tillhandahållna platser för feriejobb
310|Tertial 1 2020|st|35;;;45;57;57;Tas fram av nämnd|Antal tillhandahållna platser för Stockholmsjobb
321|Tertial 1 2020|-|137;;;123;139;75;Tas fram av nämnd|Antal tillhandahållna praktikplatser för högskolestuderande samt platser för verksamhetsförlagd utbildning
339|Tertial 1 2020|st|;;;1 320;1 100;1 100;9 000|Antal ungdomar som fått feriejobb i stadens regi
495|Tertial 1 2020|-|100;;;?;?;100;|Andel nyanlända kvinnor och män som får ett personligt erbjudande om samhällsvägledning inom en månad från det att stadsdelsförvaltningen har fått underlag över inflyttade till stadsdelsområdet
669|2020|%|;;;41;;77;77|Andel stockholmare som upplever trygghet i den stadsdel där man bor
678|2020|%|;;;;;100;Fastställs 2020|Andel ungdomar som i stockholmsenkäten uppger att de inte blivit utsatta för hot och våld
711|2020|%|;;;41;;71;71|Stockholmarnas nöjdhet med renhållning och städning
720|2020|%|;;;49;;71;71|Stockholmarnas nöjdhet med skötsel av park och grönområden
729|2020|%|;;;72;;88;Tas fram av nämnd|Stockholmarnas nöjdhet med stadsmiljön
1243|Tertial 1 2020|%|39,9;2;39;41,6;39;39;32|Andel legitimerade förskollärare av totalt antal anställda (årsarbetare)
1253|2020|%|;;;80;;90;90|Andel nöjda föräldrar till barn i förskolan
1263|Tertial 1 2020|barn/avd.|15,9;;;14,8;16;16;16|Antal barn per grupp
1273|Tertial 1 2020|st|5;;;4,8;4,9;4,9;4,9|Antal förskolebarn per anställd (årsarbetare)
1279|2020|-|;;;3,4;;3,4;Tas fram av nämnd|Kvalitetsindikatorn - Självvärdering utifrån läroplansuppdraget
1680|Tertial 1 2020|%|100;100;100;100;100;100;100|Andel barn och unga som bedömts ha skyddsbehov och som inte fått vänta på placering
1688|Tertial 1 2020|%|42,9;45,5;33,3;;80;80;Tas fram av nämnd|Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallats till samtal med socialtjänsten inom 48 timmar
1706|Tertial 1 2020|%|82,3;81,1;84,3;84,2;84;84;84|Andel barn och ungdomar som varit aktuella för insatser inom individ och familjeomsorgen och som inte är aktuella 12 månader efter avslutad insats.
1723|2020|%|;;;74;;90;öka|Andel brukare inom omsorgen för personer med funktionsnedsättning som inte upplever diskriminering
1731|2020|%|;;;88;;90;öka|Andel brukare inom socialpsykiatrin som inte upplever diskriminering
1737|2020|%|;;;;;80;80|Andel brukare som trivs - Funktionsnedsättning (stöd och service till personer med funktionsnedsättning)
1745|2020|%|;;;46,94;;30;30|Andel enskilda som klarar mer på egen hand inom socialpsykiatrin
1751|Tertial 1 2020|%|;;;;75;75;75|Andel familjehemsplacerade barn i skolåldern som klarar målen i kärnämnena i grundskolan
1765|Tertial 1 2020|%|35,7;37,5;28,6;39,3;42;42;42|Andel insats/insatser avslutade enligt plan inom vuxna missbruk
1778|Tertial 1 2020|%|60;;;81,82;80;80;Tas fram av nämnd|Andel meddelanden om avhysning som inkommit till förvaltningen från Kronofogdemyndigheten som kunnat avvärjas
1822|2020|%|;;;;;100;Tas fram av nämnd|Andel personer med bostadskontrakt enligt Bostad först som behåller kontraktet efter 12 månader
1834|2020|%|;;;78;;90;90|Andel personer med funktionsnedsättning som upplever att de blir väl bemötta av stadens personal (stöd och service till personer med funktionsnedsättning)
1844|2020|%|;;;76;;82;78|Andel personer med funktionsnedsättning som upplever att de kan påverka insatsens utformning (stöd och service till personer med funktionsnedsättning)
1854|2020|%|;;;76;;80;80|Andel personer med insatser inom socialpsykiatrin som är nöjda med sin insats
1861|2020|%|;;;;;76;Tas fram av nämnd|Andel ungdomar som i stockholmsenkäten skattar sin hälsa som god
1871|2020|%|;;;;;62;62|Andel ungdomar som i stockholmsenkäten uppger att de inte använder alkohol
1878|2020|%|;;;;;92;92|Andel ungdomar som i stockholmsenkäten uppger att de inte använder narkotika
1885|2020|%|;;;;;91;91|Andel ungdomar som i stockholmsenkäten uppger att de inte använder tobak
1892|2020|-|;;;;;100;Fastställs 2020|Andel ungdomar som i stockholmsenkäten uppger att de inte burit vapen
1902|Tertial 1 2020|-|0;0;0;0;0;0;Tas fram av nämnd|Antal vräkningar som berör barn
1912|2020|%|;;;69;;70;Tas fram av nämnd|Brukarens upplevelse av trygghet - LSS-boende, vuxna och barn (stöd och service till personer med funktionsnedsättning)
2204|Tertial 1 2020|%|50,76;;;57,45;55;55;|Andel barnfamiljer med ekonomiskt bistånd som har en bostad med förstahandskontrakt
2447|Tertial 1 2020|-|74;4;70;203;200;200;|Antalet vuxna personer från 18 år som är utsatta för våld i nära relation eller hedersrelaterat våld som är kända av socialtjänsten
2617|2020|%|;;;74;;75;Tas fram av nämnd|Andel boende på vård- och omsorgsboende som upplever att måltiden är en trevlig stund på dagen
2628|2020|%|;;;50;;57;Tas fram av nämnd|Andel boende på vård- och omsorgsboende som upplever att möjligheten att komma utomhus är bra
2639|2020|%|;;;81;;86;86|Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs i hemtjänsten
2646|2020|%|;;;75;;86;77|Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs på vård- och omsorgsboende
2654|2020|%|;;;79;;82;Tas fram av nämnd|Andel trygga omsorgstagare i hemtjänsten
2664|2020|%|;;;91;;91;Tas fram av nämnd|Andel trygga omsorgstagare i vård- och omsorgsboende
2674|2020|%|;;;;;92;92|Andelen nöjda omsorgstagare i dagverksamhet
2680|2020|%|;;;83;;85;85|Andelen nöjda omsorgstagare i hemtjänst
2686|2020|%|;;;91;;91;82|Andelen nöjda omsorgstagare i vård- och omsorgsboende
2715|2020|personer|;;;8,4;;9;Max 10 personer|Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod
3057|2020|-|;;;0;;0;Tas fram av nämnd|Antal färdigställda bostäder med särskild service (stöd och service till personer med funktionsnedsättning)
3271|2020|%|;;;68;;75;75|Andel barn och ungdomar som är nöjda med tillgången till idrottsaktiviteter
3278|2020|%|;;;62,5;;75;75|Andel barn och ungdomar som är nöjda med tillgången till kulturaktiviteter
3317|2020|%|;;;;;65;65|Andel ungdomar som deltar i föreningsliv
3465|Tertial 1 2020|%|20,03;79,97;;19,03;35;35;|Andel flickor som besöker träffpunkterna
3474|Tertial 1 2020|%|43,51;54,69;;40,64;45;45;|Andel flickor som besöker ungdomsgårdarna
3483|2020|%|;;;100;;100;|Andelen barn och unga som upplever träffpunkter som trygga
3489|2020|%|;;;95;;100;|Andelen barn och unga som upplever ungdomsgårdarna som trygga
3633|2020|%|;;;100;;100;100|Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av Byggvarubedömningen (BVB) eller därmed jämförliga system
3644|2020|%|;;;67;;70;70|Andel hämtställen med matavfallsinsamling av hämtställen med möjlighet till matavfallsinsamling
3651|2020|%|;;;43,09;;55;55|Andel inköpta ekologiska måltider och livsmedel i staden i kronor av totala värdet av inköpta måltider och livsmedel
3659|2020|kg CO2 per kg livsmedel|;;;;;1,9;1,9|Klimatpåverkan från upphandlade livsmedel och måltider
3671|2020|%|;;;;;2;2 % energieffektivisering relativt 2018|Relativ energieffektivisering i stadens verksamheter
3684|2020|GWh|;;;1,95;;1,8;1945|Totalt köpt energi i stadens verksamheter
3698|2020|st|;;;;;108;4 500|Återbruk inom stadens egen verksamhet (Stocket)
3844|Tertial 1 2020|%|?;;;?;100;100;100|Nämndens budgetföljsamhet efter resultatöverföringar
3851|Tertial 1 2020|%|?;;;?;100,1;100;100|Nämndens budgetföljsamhet före resultatöverföringar
3888|2020|%|;;;0;;+/-1 %;+/- 1 %|Nämndens prognossäkerhet T2
4007|2020|-|77;77;77;79;;82;82|Aktivt Medskapandeindex
4014|Tertial 1 2020|%|?;;;?;?;1,5;Tas fram av nämnd|Andel av personalkostnader inom socialtjänstens myndighetsutövning som är för externa konsulter
4027|Tertial 1 2020|%|42,22;;;38,89;60;70;Tas fram av nämnd|Andel tjänsteutlåtanden som innehåller en jämställdhetsanalys
4049|2020|%|;;;100;;90;90|Andel upphandlade avtal där en plan för systematisk uppföljning har tagits fram
4056|2020|%|;;;;;75;Tas fram av nämnd/styrelse|Andel upphandlingar där marknadsdialog har genomförts
4067|2020|-|;;;83;;84;84|Index Bra arbetsgivare
4072|Tertial 1 2020|%|6,7;3,2;7,3;6,2;6,1;6,1;Tas fram av nämnd/styrelse|Sjukfrånvaro
4080|Tertial 1 2020|%|2,7;2,3;2,7;2,3;2,2;2,2;Tas fram av nämnd/styrelse|Sjukfrånvaro dag 1-14
"""

# 001 Hässelby-Vällingby VB 2020, tabbed: one TAB field per column. 42 of 104 rows, the hard ones included
# (guide §10: shifted rows 2129-2133, the name cut by a page break at 1049/1052, missing units, text targets).
ROWS_001 = """
258|VB 2020|%|3,1;;;3,3;3,1;3,2;2,7|Andel barn som lever i familjer som har ekonomiskt bistånd
259|VB 2020|%|2,22;2,2;2,23;2,27;2,22;2,15;1,5|Andel personer som har ekonomiskt bistånd i förhållande till befolkningen
265|VB 2020|st|22;4;18;31;22;20;800|Antal aspiranter som fått Stockholmsjobb
266|VB 2020|st|743;;;952;743;700;Tas fram av nämnd|Antal tillhandahållna platser för feriejobb
268|VB 2020|-|73;;;110;;60;Tas fram av nämnd|Antal tillhandahållna praktikplatser för högskolestuderande samt platser för verksamhetsförlagd utbildning
269|VB 2020|st|743;349;394;952;;950;9 000|Antal ungdomar som fått feriejobb i stadens regi
317|VB 2020|%|1,57;;;;;1,5;|Andel kvinnor med långvarigt ekonomiskt bistånd i förhållande till samtliga vuxna kvinnor i befolkningen
379|2020|%|;;;;;70;|Andel nyanlända, av de som har kommit till besökscenter, som anser att stödet från rådgivare har påskyndat deras etablering i svenska samhället.
471|2020|%|;;;53;;77;77|Andel stockholmare som upplever trygghet i den stadsdel där man bor
473|2020|%|88,1;88;88;;;91;88,5|Andel ungdomar som i stockholmsevenkäten uppger att de inte blivit utsatta för hot och våld
481|2020|%|;;;80;;80;Tas fram av nämnd|Stockholmarnas nöjdhet med stadsmiljön
536|2020|%|38;36;39;;;32;|Andel ungdomar som upplever ordningsproblem i bostadsområdet
704|VB 2020|%|37;2,5;34,5;38;32;32;32|Andel legitimerade förskollärare av totalt antal anställda (årsarbetare)
708|VB 2020|barn/avd.|12,5;;;12,5;16;16;16|Antal barn per grupp
709|VB 2020|st|4,6;;;4,4;;4,9;4,9|Antal förskolebarn per anställd (årsarbetare)
710|2020|-|3,6;;;3,8;;3,6;Tas fram av nämnd|Kvalitetsindikatorn - Självvärdering utifrån läroplansuppdraget
790|VB 2020|%|95;;;;95;95;|Andel tillsvidareanställda medarbetare, anställda som barnskötare, som har relevant grundutbildning.
852|2020|st|50;;;;;50;|Antal förskollärare och barnskötare som genomgått utbildning i flerspråkiga barns språk- och kunskapsutveckling
1021|VB 2020|%|100;100;100;100;;100;100|Andel barn och unga som bedömts ha skyddsbehov och som inte fått vänta på placering
1025|2020|%|91;89;92;82;;96;öka|Andel brukare inom omsorgen för personer med funktionsnedsättning som inte upplever diskriminering
1029|2020|%|33,1;29,78;35,46;35,19;;39;30|Andel enskilda som klarar mer på egen hand inom socialpsykiatri
1031|VB 2020|%|66,07;61,54;70;;70;70;75|Andel familjehemsplacerade barn i skolåldern som klarar målen i kärnämnen i grundskolan
1038|2020|%|100;100;100;;100;15;Tas fram av nämnd|Andel personer med bostadskontrakt enligt Bostad först som behåller kontraktet efter 12 månader
1049|2020|%|65;67;62;;;70;62|Andel ungdomar som i stockholmsenkäten uppger att de inte använder alkohol
1058|2020|%|90,88;86;95;;;84;91|Andel ungdomar som i stockholmsenkäten uppger att de inte burit vapen
1059|VB 2020|-|11;;;1;11;0;Tas fram av nämnd|Antal vräkningar som berör barn
1248|2020|-|4,9;;;4,9;;4,8;|Nöjdhet med SIP-möten
1330|2020|%|19;16;22;;;18;|Andel barn och unga som upplever att de blivit illa behandlade
1333|2020|-|6;6;0;;;40;|Antal vuxna personer som är våldsutövare i nära relation och som är kända av socialtjänsten
1587|2020|personer|10,6;;;11;;10;Max 10 personer|Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod
1856|2020|-|0;;;0;;0;Tas fram av nämnd|Antal färdigställda bostäder med särskild service (stöd och service till personer med funktionsnedsättning)
2129|2020|%|47,5;;;44,45;;55;55|Andel inköpta ekologiska måltider och livsmedel i staden i kronor av totala värdet av inköpta måltider och livsmedel
2131|2020|kg CO2 per kg livsmedel|1,5;;;;;1,9;1,9|Klimatpåverkan från upphandlade livsmedel och måltider
2132|2020|GWh|1,1;;;1,4;;1,6;1945|Totalt köpt energi i stadens verksamheter
2133|2020|st|30;;;;;35;4 500|Återbruk inom stadens egen verksamhet (Stocket)
2271|2020|%|-1;;;0;;+/- 1 %;+/- 1 %|Nämndens prognossäkerhet T2
2394|2020|-|79;76;80;79;;81;82|Aktivt Medskapandeindex
2402|2020|%|100;;;100;;90;90|Andel upphandlade avtal där en plan för systematisk uppföljning har tagits fram
2403|2020|%|100;;;;;100;Tas fram av nämnd/ styrelse|Andel upphandlingar där marknadsdialog har genomförts
2405|VB 2020|%|9;7,5;9,5;6,6;9,5;6,6;Tas fram av nämnd/ styrelse|Sjukfrånvaro
2685|2020|%|70;;;64;;70;|Andel elektroniska inköp
"""

# 003 Rinkeby-Kista VP 2020, tabbed, columns Årsmål | KF:s årsmål | Periodicitet. 31 of 78 rows.
ROWS_003 = """
356|Tertial|%|;;;;;8;2,7|Andel barn som lever i familjer som har ekonomiskt bistånd
357|Tertial|%|;;;;;4,5;1,5|Andel personer som har ekonomiskt bistånd i förhållande till befolkningen
359|Tertial|st|;;;;;57;800|Antal aspiranter som fått Stockholmsjobb
360|Tertial|st|;;;;;1 100;Tas fram av nämnd|Antal tillhandahållna platser för feriejobb
362|Tertial|-|;;;;;75;Tas fram av nämnd|Antal tillhandahållna praktikplatser för högskolestuderande samt platser för verksamhetsförlagd utbildning
363|Tertial|st|;;;;;1 100;9 000|Antal ungdomar som fått feriejobb i stadens regi
410|Tertial|-|;;;;;100;|Andel nyanlända kvinnor och män som får ett personligt erbjudande om samhällsvägledning inom en månad från det att stadsdelsförvaltningen har fått underlag över inflyttade till stadsdelsområdet
458|År|%|;;;;;77;77|Andel stockholmare som upplever trygghet i den stadsdel där man bor
459|År|%|;;;;;100;Fastställs 2020|Andel ungdomar som i stockholmsenkäten uppger att de inte blivit utsatta för hot och våld
464|År|%|;;;;;88;Tas fram av nämnd|Stockholmarnas nöjdhet med stadsmiljön
581|Tertial|-|;;;;;16;16|Antal barn per grupp
582|Tertial|-|;;;;;4,9;4,9|Antal förskolebarn per anställd (årsarbetare)
583|År|-|;;;;;3,4;Tas fram av nämnd|Kvalitetsindikatorn - Självvärdering utifrån läroplansuppdraget
742|År|%|;;;;;90;öka|Andel brukare inom omsorgen för personer med funktionsnedsättning som inte upplever diskriminering
745|År|%|;;;;;45;26|Andel enskilda som klarar mer på egen hand inom socialpsykiatri
759|År|-|;;;;;100;fastställs 2020|Andel ungdomar som i stockholmsenkäten uppger att de inte burit vapen
760|Tertial|-|;;;;;0;Tas fram av nämnd|Antal vräkningar som berör barn
848|Tertial|%|;;;;;55;|Andel barnfamiljer med ekonomiskt bistånd som har en bostad med förstahandskontrakt
917|Tertial|-|;;;;;200;|Antalet vuxna personer från 18 år som är utsatta för våld i nära relation eller hedersrelaterat våld som är kända av socialtjänsten
975|År|personer|;;;;;9;Max 10 personer|Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod
1106|År|-|;;;;;0;Tas fram av nämnd|Antal färdigställda bostäder med särskild service (stöd och service till personer med funktionsnedsättning)
1246|Tertial|-|;;;;;35;|Andel flickor som besöker träffpunkterna
1248|År|-|;;;;;100;|Andelen barn och unga som upplever träffpunkter som trygga
1299|År|kg CO2 per kg livsmedel|;;;;;1,9;1,9|Klimatpåverkan från upphandlade livsmedel och måltider
1300|År|%|;;;;;2;2 % energieffektivisering relativt 2018|Relativ energieffektivisering i stadens verksamheter
1301|År|GWh|;;;;;1,8;1945|Totalt köpt energi i stadens verksamheter
1302|År|st|;;;;;108;5 000|Återbruk inom stadens egen verksamhet (Stocket)
1376|År|%|;;;;;+/-1 %;+/- 1 %|Nämndens prognossäkerhet T2
1429|Tertial|%|;;;;;70;Tas fram av nämnden|Andel tjänsteutlåtanden som innehåller en jämställdhetsanalys
1431|År|%|;;;;;75;Tas fram av nämnd/styrelse|Andel upphandlingar där marknaddialog har genomförts
1436|Tertial|%|;;;;;2,2;Tas fram av nämnd|Sjukfrånvaro dag 1-14
"""

# 004 Norrmalm VB 2021, layout text, k spaces = k-1 empty cells, no Prognos column. All 90 rows.
# 529: "5 3 % 2 % 55 30" are counts with a wrong % (guide §9.10): the unit is not checked.
ROWS_004 = """
335|VB 2021|%|1,3;;;1,3;;0,8;2,7|Andel barn som lever i familjer som har ekonomiskt bistånd
351|VB 2021|%|0,48;0,53;0,43;0,52;;0,5;1,5|Andel personer som har ekonomiskt bistånd i förhållande till befolkningen
358|VB 2021|%|100;100;100;;;25;Fastställs 2021|Andel personer som själv upplever att de får en förbättrad situation av insatsen/insatserna de fått från socialtjänsten (ekonomiskt bistånd)
379|VB 2021|%|0,33;0,36;0,31;0,25;;0,25;1,0|Andel vuxna med långvarigt ekonomiskt bistånd jämfört med samtliga vuxna invånare
412|VB 2021|st|7;5;2;6;;6;800|Antal aspiranter som fått Stockholmsjobb
417|VB 2021|st|230;;;184;;200;Tas fram av nämnd|Antal tillhandahållna platser för feriejobb
426|VB 2021|st|11;;;23;;40;Tas fram av nämnd|Antal tillhandahållna platser för Stockholmsjobb
439|VB 2021|-|62;;;63;;60;Tas fram av nämnd|Antal tillhandahållna praktikplatser för högskolestuderande samt platser för verksamhetsförlagd utbildning
452|VB 2021|-|18;15;3;;;15;Tas fram av nämnd|Antal unga 20-29 år som varken arbetar eller studerar som nåtts av uppsökande verksamhet och tagit del av arbetsmarknadsinsatser
468|VB 2021|st|210;99;111;183;;160;9 000|Antal ungdomar som fått feriejobb i stadens regi
529|VB 2021|?|5;3;2;55;;30;|Antal personer med avslutad etableringsersättning som inte är självförsörjande och aktualiseras inom enheten för ekonomiskt bistånd
606|VB 2021|%|100;;;;;100;|Andel nyanlända hushåll i genomgångsbostäder som tar del av bostadsvägledning
940|2021|%|84;85;84;;;86;79|Andel stockholmare som upplever trygghet i den stadsdel där man bor
953|2021|%|;;;90,07;;;-|Andel ungdomar som i stockholmsenkäten uppger att de inte blivit utsatta för hot och våld
966|2021|%|65;66;63;;;73;73|Stockholmarnas nöjdhet med renhållning och städning
979|2021|%|70;68;72;;;73;73|Stockholmarnas nöjdhet med skötsel och städning av park och grönområden
992|2021|%|88;86;90;;;86;Tas fram av nämnd|Stockholmarnas nöjdhet med stadsmiljön
1079|2021|%|75;78;70;;;75;|Andel invånare i stadsdelen som känner sig trygga i parker och grönområden
1159|2021|%|76;73;79;;;83;|Andel invånare i stadsdelen som anser att det finns goda möjligheter till aktiviteter i parker och naturområden
1468|VB 2021|%|38,9;1,6;37,3;38,6;;33;33|Andel legitimerade förskollärare av totalt antal anställda (årsarbetare)
1474|2021|%|86;86;86;87;;88;88|Andel nöjda föräldrar till barn i förskolan
1486|VB 2021|barn/avd.|13,7;;;13,9;;16;16|Antal barn per grupp
1494|VB 2021|st|5;;;4,9;;4,9;4,9|Antal förskolebarn per anställd (årsarbetare)
1502|2021|-|3,6;;;3,6;;3,6;3,6|Kvalitetsindikatorn - Självvärdering utifrån läroplansuppdraget
1596|2021|%|88,97;89;88;88,99;;90;|Andel vårdnadshavare som upplever att förskolan i sin helhet är trygg och säker för sitt barn
1603|2021|%|82,02;82;81;81,01;;82;|Jag upplever att mitt barn uppmuntras till fysisk aktivitet
2106|VB 2021|%|60;;;20;;100;Tas fram av nämnd|Andel avhysningar som kunnat avvärjas efter inkommet meddelande till förvaltningen från kronofogdemyndigheten
2128|VB 2021|%|100;100;100;100;;100;100|Andel barn och unga som bedömts ha skyddsbehov och som inte fått vänta på placering
2138|VB 2021|%|25,2;27,5;22,4;;;23;24|Andel barn och unga som åter blir föremål för anmälan/ansökan efter avslutad utredning
2153|VB 2021|%|28,9;25;33,3;18;;86;Tas fram av nämnd|Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallats till samtal med socialtjänsten inom 48 timmar
2195|2021|%|80;76;89;83;;97;öka|Andel brukare inom omsorgen för personer med funktionsnedsättning som inte upplever diskriminering
2213|2021|%|90;94;86;97;;92;öka|Andel brukare inom socialpsykiatrin som inte upplever diskriminering
2231|2021|%|82;78;87;78;;80;80|Andel brukare som är nöjd med sin insats - Funktionsnedsättning (stöd och service till personer med funktionsnedsättning)
2249|VB 2021|%|66,67;50;100;60;;75;75|Andel familjehemsplacerade barn i skolåldern som klarar målen i kärnämnena i grundskolan
2268|2021|%|100;100;;100;;80;Tas fram av nämnd|Andel personer med bostadskontrakt enligt Bostad först som behåller kontraktet efter 12 månader
2301|2021|%|85;80;89;85;;96;90|Andel personer med funktionsnedsättning som upplever att de blir väl bemötta av stadens personal (stöd och service till personer med funktionsnedsättning)
2322|2021|%|82;78;89;78;;86;79|Andel personer med funktionsnedsättning som upplever att de kan påverka insatsens utformning (stöd och service till personer med funktionsnedsättning)
2343|2021|%|50;50;;26,03;;30;Tas fram av nämnd|Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från socialtjänsten (socialpsykiatri)
2366|2021|%|71,43;70;50;;;30;Tas fram av nämnd|Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från socialtjänsten (vuxna missbruk)
2402|VB 2021|%|60,53;62,16;58,97;;;60;Tas fram av nämnd|Andel utredningar av barn och unga där barnet varit delaktigt och fått återkoppling
2416|VB 2021|%|72,84;77,22;68,67;;;70;Tas fram av nämnd|Andel utredningar av barn och unga i vilka skola/förskola vidtalas
2429|2021|-|6;;;;;10;Tas fram av nämnd|Antal barnfamiljer som beviljats en akutboendelösning på hotell/vandrarhem
2443|2021|st|99;9;90;;;60;Tas fram av nämnd|Antal personer som utsatts för våld i nära relation som är kända av socialtjänsten
2457|VB 2021|-|1;;;1;;0;Tas fram av nämnd|Antal vräkningar som berör barn
2472|2021|%|50;50;50;76;;92;Tas fram av nämnd|Brukarens upplevelse av trygghet - LSS-boende, vuxna och barn (stöd och service till personer med funktionsnedsättning)
2688|VB 2021|-|89;;;87,5;;80;|ANDT-förebyggande arbete enligt Preventionsindex mini (PI-mini)
2844|2021|%|80,49;100;79;72,22;;70;|Andel våldsutsatta boende inom Norrmalms stadsdelsområde som fullföljer behandling på Relationsvåldcentrum Innerstaden (RVCI)
2853|2021|%|66,67;200;100;78,57;;60;|Andel våldsutövare boende inom Norrmalms stadsdelsområde som fullföljer behandling på Relationsvåldscentrum Innerstaden (RVCI)
2862|2021|-|99;9;90;184;;60;|Antal personer som utsatts för våld i nära relation som är kända av socialtjänsten
3208|2021|%|;;;62;;70;Tas fram av nämnd|Andel boende på vård- och omsorgsboende som upplever att måltiden är en trevlig stund på dagen
3230|2021|%|;;;58;;60;Tas fram av nämnd|Andel boende på vård- och omsorgsboende som upplever att möjligheten att komma utomhus är bra
3267|2021|%|100;;;;;0;Tas fram av nämnd|Andel digital nattillsyn i hemtjänsten
3279|2021|%|;;;;;5;Tas fram av nämnd|Andel digitala inköp i hemtjänsten
3295|2021|%|;;;81;;86;86|Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs i hemtjänsten
3319|2021|%|;;;71;;78;78|Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs på vård- och omsorgsboende
3335|2021|%|100;;;;;0;Tas fram av nämnd|Andel smarta lås i hemtjänsten
3368|2021|%|;;;79;;82;Tas fram av nämnd|Andel trygga omsorgstagare i hemtjänsten
3391|2021|%|;;;86;;88;Tas fram av nämnd|Andel trygga omsorgstagare i vård- och omsorgsboende
3415|2021|%|88;75;92;95;;93;93|Andelen nöjda omsorgstagare i dagverksamhet
3434|2021|%|;;;80;;86;86|Andelen nöjda omsorgstagare i hemtjänst
3451|2021|%|;;;80;;82;82|Andelen nöjda omsorgstagare i vård- och omsorgsboende
3485|2021|personer|12,1;;;11,9;;10;Max 10 personer|Antal personal en hemtjänsttagare med minst två besök om dagen möter under en 14-dagarsperiod
3688|VB 2021|%|68;63;70;;;70;|Andel medarbetare inom äldreomsorgens utförarverksamheter i egen regi som genomfört webbutbildningen Demens ABC
3704|2021|%|100;;;;;90;|Andel omsorgstagare som upplever att måltiderna på dagverksamheten är en trevlig stund på dagen.
3720|VB 2021|%|72,3;62,4;75,8;;;75;|Andel äldre som upplever att det oftast eller alltid är ungefär samma personer som utför hjälpen inom hemtjänst.
3756|2021|%|80;;;;;95;|Andel äldre som är nöjda med aktiviteterna på dagverksamhet
3775|2021|%|70,9;71,4;70,6;64;;70;|Andel äldre som är nöjda med aktiviteterna på vård- och omsorgsboende
3942|2021|-|0;;;6;;0;Tas fram av nämnd|Antal färdigställda bostäder med särskild service (stöd och service till personer med funktionsnedsättning)
4215|2021|%|90;90;90;;;67;67|Andel barn och ungdomar som deltar i idrottsaktiviteter på fritiden
4241|2021|%|78;77;78;78;;78;75|Andel barn och ungdomar som är nöjda med tillgången till idrottsaktiviteter
4251|2021|%|80;74;84;82;;82;76|Andel barn och ungdomar som är nöjda med tillgången till kulturaktiviteter på fritiden
4265|2021|%|67;72;65;76;;75;65|Andel ungdomar som deltar i föreningsliv
4328|2021|%|87,99;;;90;;91;|Andel föräldrar som upplever att sitt barn uppmuntras till att utveckla sin förmåga att skapa och uttrycka sig i olika former
4387|2021|%|71;73;69;;;82;|Andel invånare som anser att det finns goda möjligheter till spontanidrott i Stockholm, som t.ex. motionsspår, bollplaner och öppna parkytor
4530|2021|%|100;;;100;;100;100|Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av Byggvarubedömningen (BVB) eller därmed jämförliga system
4541|2021|%|81;;;50;;80;80|Andel hämtställen med matavfallsinsamling av hämtställen med möjlighet till matavfallsinsamling
4548|2021|%|61,32;;;;;60;60|Andel inköpta ekologiska måltider och livsmedel i staden i kronor av totala värdet av inköpta måltider och livsmedel
4556|2021|kg CO2 per kg livsmedel|1,8;;;1,6;;1,8;1,80|Klimatpåverkan från upphandlade livsmedel och måltider
4583|2021|GWh|2,83;;;3,15;;3,3;1945|Totalt köpt energi i stadens verksamheter
4820|VB 2021|%|96,2;;;97,1;;100;100|Nämndens budgetföljsamhet efter resultatöverföringar
4826|VB 2021|%|96;;;96,5;;100;100|Nämndens budgetföljsamhet före resultatöverföringar
4832|2021|%|-2;;;-2;;+/-1 %;+/- 1 %|Nämndens prognossäkerhet T2
5099|2021|-|81;79;81;82;;82;82|Aktivt Medskapandeindex
5108|VB 2021|%|4,67;;;1,3;;1,5;Tas fram av nämnd|Andel av personalkostnader inom socialtjänstens myndighetsutövning som är för externa konsulter
5125|2021|%|83;;;100;;90;90|Andel upphandlade avtal där kontinuerlig uppföljning genomförts
5136|2021|%|0;;;0;;80;Tas fram av nämnd/styrelse|Andel upphandlingar där marknadsdialog har genomförts
5154|2021|-|77;;;79;;84;84|Index Bra arbetsgivare
5166|VB 2021|%|9,4;6,8;9,8;9,8;;8,5;Tas fram av nämnd/styrelse|Sjukfrånvaro
5198|VB 2021|%|3,6;3,8;3,6;4,1;;3,5;Tas fram av nämnd/styrelse|Sjukfrånvaro dag 1-14
5275|2021|%|35,54;;;65,9;;65;|Andel elektroniska inköp
"""

# Goal markers ("KF:s mål för verksamhetsområdet:" / "Nämndmål:") and the number on or after them, read with grep.
# A row belongs to the last marker above it.
GOALS_TEXT = {
    "000": (
        "87 1.1, 365 1.1.1, 590 1.2, 766 1.2.1, 967 1.2.2, 1089 1.3, 1309 1.3.1, 1492 1.4, 2102 1.4.1, "
        "2358 1.4.2, 2506 1.5, 2761 1.5.1, 2943 2.1, 2966 2.1.1, 3012 2.2, 3069 2.2.1, 3116 2.3, 3134 2.3.1, "
        "3187 2.4, 3353 2.4.1, 3582 2.5, 3714 2.5.1, 3795 3.1, 3893 3.1.1, 3935 3.2, 4112 3.2.1, 4229 3.2.2"
    ),
    "001": (
        "189 1.1, 276 1.1.1, 322 1.1.2, 390 1.2, 490 1.2.1, 549 1.2.2, 591 1.2.3, 621 1.3, 717 1.3.1, "
        "812 1.3.2, 861 1.4, 1099 1.4.1, 1186 1.4.2, 1260 1.4.3, 1356 1.4.4, 1387 1.4.5, 1427 1.4.6, 1482 1.5, "
        "1600 1.5.1, 1664 1.5.2, 1712 1.5.3, 1747 1.5.4, 1793 2.1, 1811 2.1.1, 1829 2.2, 1860 2.2.1, 1896 2.3, "
        "1916 2.3.1, 1944 2.4, 2000 2.4.1, 2076 2.5, 2139 2.5.1, 2165 2.5.2, 2199 2.5.3, 2248 3.1, 2273 3.1.1, "
        "2301 3.2, 2415 3.2.1, 2486 3.2.2, 2541 3.2.3, 2603 3.2.4, 2634 3.2.5, 2662 3.2.6"
    ),
    "003": (
        "325 1.1, 369 1.1.1, 427 1.2, 471 1.2.1, 510 1.2.2, 554 1.3, 590 1.3.1, 657 1.4, 793 1.4.1, 885 1.4.2, "
        "930 1.5, 985 1.5.1, 1065 2.1, 1073 2.1.1, 1095 2.2, 1108 2.2.1, 1133 2.3, 1139 2.3.1, 1168 2.4, "
        "1206 2.4.1, 1273 2.5, 1307 2.5.1, 1363 3.1, 1378 3.1.1, 1401 3.2, 1443 3.2.1, 1482 3.2.2"
    ),
    "004": (
        "212 1.1, 490 1.1.1, 547 1.1.2, 634 1.2, 1011 1.2.1, 1117 1.2.2, 1188 1.3, 1557 1.3.1, 1630 1.4, "
        "2630 1.4.1, 2725 1.4.2, 2765 1.4.3, 2800 1.4.4, 2897 1.5, 3645 1.5.1, 3866 2.1, 3890 2.1.1, 3907 2.2, "
        "3954 2.2.1, 3972 2.3, 4001 2.3.1, 4032 2.4, 4291 2.4.1, 4349 2.4.2, 4412 2.5, 4631 2.5.1, 4687 2.5.2, "
        "4783 3.1, 4860 3.1.1, 4894 3.2, 5236 3.2.1, 5329 3.2.2"
    ),
}
GOALS = {s: [(int(a), b) for a, b in (x.split() for x in t.split(", "))] for s, t in GOALS_TEXT.items()}

# Activities read by hand: sample | line | start | end | avvikelse (x) | status marker | name.
ACTIVITY_ROWS = """
000|353|2020-01-01|2020-12-31|||Arbetsmarknadsnämnden i samarbete med stadsdelsnämnderna ska utveckla ett arbetssätt för att nå nyanlända som inte ingår i etableringsprogrammet.
000|550|2020-01-01|2020-12-31|||Ta fram innovativa processer som leder till effektiva arbetssätt
000|552|2020-01-01|2020-11-30|||Utreda möjligheterna att implementera det sociala investeringsprojektet Studier och arbete, för målgruppen unga som varken arbetar eller studerar (UVAS), i ordinarie verksamhet
000|885|2020-01-01|2020-12-31|||Förvaltningen tar initiativ till en LOV 3-ansökan i Akalla
000|1472|2020-01-01|2020-12-31|||Samtliga medarbetare inom förskolan får kompetensutveckling kring hedersrelaterat våld och förtryck
000|2484|2020-01-31|2020-12-31|||Medarbetare genomgår grundutbildning alternativt vidareutbildning, i våld i nära relation samt i hedersrelaterat våld och förtryck.
000|3571|2020-01-01|2020-12-31|x||Utveckla och följa upp den nya mötesplatsen för hbtq-personer
000|3776|2020-01-01|2020-12-31|||Undvika inköp och användning av engångsprodukter och plast
000|3778|2020-01-01|2020-12-31|||Utarbeta en lokal miljö- och klimathandlingsplan med utgångspunkt från stadens miljöprogram 2020-2023
000|4200|2019-02-01|2020-05-31|||Regelbundna resultatdialoger införs på olika chefsnivåer
001|541|2020-01-01|2020-12-31|x||Genomföra övning i krishantering
001|805|2020-01-01|2020-12-31|x|!|Förskolorna ansöker om att erhålla Skolverkets certifiering "Hållbar skola."
001|1065|2020-01-01|2020-12-31|||Arbetsmarknadsnämnden, utbildningsnämnden och stadsdelsnämnderna ska fortsätta att utveckla stödet till elever med funktionsnedsättning som går ut ungdomsgymnasiet och gymnasiesärskolan.
001|1178|2020-01-01|2020-12-31|x|✓|Förskolans medarbetare deltar i relationsvårdsteamets utbildning om våld i nära relation.
001|1422|2020-01-01|2020-12-31||✓|Möjlighet att utveckla kompensatoriska åtgärder ses över, speciellt i familjer där det finns barn.
001|1940|2019-01-01|2020-12-31|||Förvaltningen tar fram riktlinjer för verksamhetens transporter och tjänsteresor.
001|2233|2020-01-01|2020-10-31||ⓘ|Uppstart av stadsodling i Solursparken.
001|2600|2020-01-01|2020-12-31|x|!|Processen för äldreomsorg - hemtjänst utvecklas vidare med rutiner, mallar etc.
003|366|2020-01-01|2020-12-31|||Arbetsmarknadsnämnden i samarbete med stadsdelsnämnderna ska utveckla ett arbetssätt för att nå nyanlända som inte ingår i etableringsprogrammet.
003|492|2020-01-01|2020-10-31|||Genomföra "Sommar på torget" med aktiviteter för barn och vuxna i Rinkeby och i Husby i samverkan med föreningslivet
003|652|2020-01-01|2021-01-31|||Ta fram innovativa processer som leder till effektiva arbetssätt
003|925|2020-01-31|2020-12-31|||Medarbetare genomgår grundutbildning alternativt vidareutbildning, i våld i nära relation samt i hedersrelaterat våld och förtryck.
004|480|2021-01-01|2021-12-31|||Arbetsmarknadsnämnden och utbildningsnämnden ska i samråd med socialnämnden och stadsdelsnämnderna revidera riktlinjerna för det kommunala aktivitetsansvaret
004|1089|2021-01-01|2021-12-31|||Genomföra trygghetsskapande åtgärder i Vanadislunden.
004|2744|2020-01-01|2021-12-31|||Sprida information om Program för tillgänglighet och delaktighet för personer med funktionsnedsättning 2018-2023 till berörda verksamheter.
004|2790|2021-01-01|2021-12-31|||Implementera program till stöd för anhöriga 2021-2024
004|3806|2021-01-01|2021-12-31|x||Team för psykisk ohälsa startas upp i hemtjänst i egen regi
"""
ACTIVITIES = [tuple(r.split("|")) for r in ACTIVITY_ROWS.strip().split("\n")]


@dataclass(frozen=True, slots=True)
class TrueRow:
    """One hand-read indicator row: cells by column as printed ('' when the cell is empty, '?' when unsure)."""

    rad: int
    period: str
    enhet: str | None  # None: no unit printed; "?": not checked
    cells: dict[str, str]
    namn: str

    @property
    def certain(self) -> bool:
        return UNSURE not in self.cells.values()


def true_rows(sample: str) -> list[TrueRow]:
    table = {"000": ROWS_000, "001": ROWS_001, "003": ROWS_003, "004": ROWS_004}[sample]
    rows = []
    for raw in table.strip().split("\n"):
        line, period, unit, values, name = raw.split("|")
        cells = dict(zip(VALUE_COLUMNS, values.split(";"), strict=True))
        rows.append(TrueRow(int(line), period, None if unit == "-" else unit, cells, name))
    return rows


def expected_value(cell: str) -> object:
    """A hand-read cell as the parser reports it: a float for numbers, the text for text cells, None if empty."""
    if cell == UNSURE:
        return UNSURE
    if not cell:
        return None
    if re.fullmatch(r"-?\d{1,3}(?: \d{3})*(?:,\d+)?|-?\d+(?:,\d+)?", cell):
        return float(cell.replace(" ", "").replace(",", "."))
    return cell  # a text cell
