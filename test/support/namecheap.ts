// The contacts a registrar test buys names with: the customer as registrant, the operator as admin, tech and billing
// (AFNIC wants an organisation on the tech contact, other than the registrant).
import type { Contact } from '../../src/providers/registrar/index.ts';

export const contact: Contact = {
  firstName: 'Camille',
  lastName: 'Durand',
  address1: '12 rue des Lilas',
  city: 'Lyon',
  stateProvince: 'Rhône',
  postalCode: '69003',
  country: 'FR',
  phone: '+33.612345678',
  email: 'camille@example.org',
};

export const operator: Contact = {
  firstName: 'Claire',
  lastName: 'Opérateur',
  organization: 'Conciergerie SAS',
  address1: '10 rue de la Paix',
  city: 'Paris',
  stateProvince: 'Paris',
  postalCode: '75002',
  country: 'FR',
  phone: '+33.144000000',
  email: 'domains@conciergerie.test',
};

/** A raw Namecheap call to a test system's sandbox registrar, as the live API takes it (global parameters added). */
export async function namecheapCall(
  sandbox: { namecheap: { url: string }; credentials: { namecheapApiUser: string; namecheapApiKey: string } },
  params: Record<string, string>,
): Promise<string> {
  const { namecheapApiUser: user, namecheapApiKey: key } = sandbox.credentials;
  const body = new URLSearchParams({ ApiUser: user, ApiKey: key, UserName: user, ClientIp: '127.0.0.1', ...params });
  const res = await fetch(`${sandbox.namecheap.url}/xml.response`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return res.text();
}
