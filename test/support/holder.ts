// Domain holders as order requests give them: a person in France (accepted by every TLD we sell, .fr included), a
// French company with its SIRET, and holders some TLDs refuse.
export const HOLDER = {
  type: 'individual',
  firstName: 'Camille',
  lastName: 'Durand',
  birthDate: '1984-05-17',
  birthPlace: '69003 Lyon',
  address1: '12 rue des Lilas',
  city: 'Lyon',
  postalCode: '69003',
  country: 'FR',
  phone: '+33.612345678',
} as const;

/** A French company: its SIRET (14 digits, Luhn key valid) identifies it to AFNIC. */
export const COMPANY_HOLDER = {
  type: 'organization',
  firstName: 'Marie',
  lastName: 'Lefèvre',
  organization: 'Boulangerie Lefèvre SARL',
  companyId: '732 829 320 00074',
  address1: '4 place Bellecour',
  city: 'Lyon',
  postalCode: '69002',
  country: 'FR',
  phone: '+33.478000000',
} as const;

/** A company in the United States: neither AFNIC (.fr) nor EURid (.eu) accepts it. */
export const US_COMPANY_HOLDER = {
  type: 'organization',
  firstName: 'John',
  lastName: 'Smith',
  organization: 'Smith Bakery LLC',
  address1: '8939 S. Cross Blvd',
  city: 'Phoenix',
  postalCode: '85284',
  country: 'US',
  phone: '+1.6613102107',
} as const;
