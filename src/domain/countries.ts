// Countries as ISO 3166-1 alpha-2 codes, and the groups the registries' eligibility rules name.

/** Every officially assigned ISO 3166-1 alpha-2 code (ISO 3166 Maintenance Agency, 249 codes). */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export function isCountryCode(value: string): boolean {
  return COUNTRY_CODES.includes(value);
}

/** The 27 member states of the European Union (TEU art. 52). */
export const EU_MEMBER_STATES: readonly string[] = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

/** The outermost regions with codes of their own: part of the Union's territory (TFEU art. 349, 355(1)). */
export const EU_OUTERMOST_REGIONS: readonly string[] = ['GF', 'GP', 'MF', 'MQ', 'RE', 'YT'];

/** The EEA's members beyond the Union (EEA Agreement). */
export const EEA_EFTA_STATES: readonly string[] = ['IS', 'LI', 'NO'];

/** France's overseas collectivities and territories, French territory outside the Union's. */
export const FRENCH_OVERSEAS: readonly string[] = ['BL', 'NC', 'PF', 'PM', 'TF', 'WF'];
