// The holder the benchmarks' orders are placed with (the load generator sends it too: nothing heavy imported here).
import type { Holder } from '../../src/domain/holder.ts';

/** A person in France: every TLD we sell takes them (a .fr name with their birth date and place). */
export const BENCH_HOLDER: Holder = {
  type: 'individual',
  firstName: 'Camille',
  lastName: 'Banc',
  birthDate: '1984-05-17',
  birthPlace: '69003 Lyon',
  address1: '12 rue des Lilas',
  city: 'Lyon',
  postalCode: '69003',
  country: 'FR',
  phone: '+33.612345678',
};
