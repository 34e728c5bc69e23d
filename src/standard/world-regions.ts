// The world region of each country (ISO 3166-1 alpha-2, the list of countries.ts), in the regions
// of the code list `world_region` as the civil-society platform's annual statistics groups origin:
// EU (the 27 member states, Sweden included), the rest of Europe, Africa, Asia, the Middle East,
// North, Central and South America, Oceania.
//
// Grouping follows the UN's geographic regions (M49) with these choices: the Middle East is western
// Asia's Arab states with Iran, Israel and Türkiye (Egypt, Libya and the Maghreb stay in Africa); the
// Caucasus, Russia and Belarus are the rest of Europe; Central America includes Mexico and the
// Caribbean; North America is Canada, the United States, Greenland, Bermuda and Saint Pierre and
// Miquelon. A territory belongs with the region it lies in, except the EU's outermost regions and
// Åland, which are part of the EU. Antarctica and the uninhabited southern islands are placed with
// the nearest region (they are never anyone's nationality, but every code must map).
import type { WorldRegionCode } from './codes.ts';

const regions: Record<WorldRegionCode, readonly string[]> = {
  eu: [
    'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
    'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
    // Part of a member state inside the EU: Åland and the outermost regions.
    'AX', 'GF', 'GP', 'MQ', 'RE', 'YT', 'MF',
  ],
  other_europe: [
    'AL', 'AD', 'AM', 'AZ', 'BY', 'BA', 'FO', 'GE', 'GI', 'GG', 'VA', 'IS', 'IM', 'JE', 'XK', 'LI', 'MD', 'MC', 'ME', 'MK',
    'NO', 'RU', 'SM', 'RS', 'SJ', 'CH', 'UA', 'GB', 'BV',
  ],
  africa: [
    'DZ', 'AO', 'BJ', 'BW', 'BF', 'BI', 'CV', 'CM', 'CF', 'TD', 'KM', 'CG', 'CD', 'CI', 'DJ', 'EG', 'GQ', 'ER', 'SZ', 'ET',
    'GA', 'GM', 'GH', 'GN', 'GW', 'KE', 'LS', 'LR', 'LY', 'MG', 'MW', 'ML', 'MR', 'MU', 'MA', 'MZ', 'NA', 'NE', 'NG', 'RW',
    'SH', 'ST', 'SN', 'SC', 'SL', 'SO', 'ZA', 'SS', 'SD', 'TZ', 'TG', 'TN', 'UG', 'EH', 'ZM', 'ZW', 'IO', 'TF',
  ],
  asia: [
    'AF', 'BD', 'BT', 'BN', 'KH', 'CN', 'CX', 'CC', 'HK', 'IN', 'ID', 'JP', 'KZ', 'KP', 'KR', 'KG', 'LA', 'MO', 'MY', 'MV',
    'MN', 'MM', 'NP', 'PK', 'PH', 'SG', 'LK', 'TW', 'TJ', 'TH', 'TL', 'TM', 'UZ', 'VN',
  ],
  middle_east: ['BH', 'IR', 'IQ', 'IL', 'JO', 'KW', 'LB', 'OM', 'PS', 'QA', 'SA', 'SY', 'TR', 'AE', 'YE'],
  north_america: ['CA', 'US', 'GL', 'BM', 'PM'],
  central_america: [
    'BZ', 'CR', 'SV', 'GT', 'HN', 'MX', 'NI', 'PA',
    // The Caribbean.
    'AI', 'AG', 'AW', 'BS', 'BB', 'BQ', 'KY', 'CU', 'CW', 'DM', 'DO', 'GD', 'HT', 'JM', 'MS', 'PR', 'BL', 'KN', 'LC', 'VC',
    'SX', 'TT', 'TC', 'VG', 'VI',
  ],
  south_america: ['AR', 'BO', 'BR', 'CL', 'CO', 'EC', 'FK', 'GY', 'PY', 'PE', 'SR', 'UY', 'VE', 'GS'],
  oceania: [
    'AS', 'AU', 'CK', 'FJ', 'PF', 'GU', 'KI', 'MH', 'FM', 'NR', 'NC', 'NZ', 'NU', 'NF', 'MP', 'PW', 'PG', 'PN', 'WS', 'SB',
    'TK', 'TO', 'TV', 'UM', 'VU', 'WF', 'HM', 'AQ',
  ],
};

/** Country (alpha-2) → world region. */
export const worldRegionOfCountry: Readonly<Record<string, WorldRegionCode>> = Object.freeze(
  Object.fromEntries(
    (Object.entries(regions) as [WorldRegionCode, readonly string[]][]).flatMap(([region, codes]) => codes.map((c) => [c, region])),
  ),
);

/** The world region of a country; null for a code the list does not know. */
export function worldRegionOf(country: string): WorldRegionCode | null {
  return Object.hasOwn(worldRegionOfCountry, country) ? worldRegionOfCountry[country] : null;
}

/**
 * A record's world region of origin: `origin_region` when answered, else the region of its
 * nationality; null when neither is known.
 */
export function originRegion(record: { origin_region: WorldRegionCode | null; nationality: string | null }): WorldRegionCode | null {
  if (record.origin_region !== null) return record.origin_region;
  return record.nationality === null ? null : worldRegionOf(record.nationality);
}

/** The 27 EU member states (Sweden included), for checks and for the demo. */
export const euMemberStates: readonly string[] = regions.eu.slice(0, 27);
