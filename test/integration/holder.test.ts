// The domain's holder at intake: each TLD's eligibility rule accepted and refused before any payment (422 naming the
// rule, the TLDs the holder may hold, nothing stored), bad holder data named field by field in French and English,
// and the purchase: the customer the registrant, the operator the other contacts, the TLD's attributes, an IDN with
// its IdnCode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { COMPANY_HOLDER, HOLDER, US_COMPANY_HOLDER } from '../support/holder.ts';
import { eligibilityProblems, registrarAttributes, TLD_RULES } from '../../src/domain/tld-rules.ts';
import { isSirenOrSiret } from '../../src/domain/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem();
});
after(async () => {
  await sys?.stop();
});

let n = 0;
const order = (domain: string, holder: object, headers: Record<string, string> = {}) =>
  sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Atelier Titulaire',
      email: `titulaire-${++n}@example.org`,
      domain,
      tier: 'standard',
      locale: headers['accept-language'] ?? 'fr',
      holder,
      acceptTerms: true,
      earlyStart: true,
    },
    headers,
  });

/** Orders, holders and payment links: what a refused request must not have left. */
async function stored(): Promise<{ orders: number; holders: number; links: number; sessions: number }> {
  const { rows } = await sql<{ orders: string; holders: string; links: string }>`
    select (select count(*) from orders) as orders, (select count(*) from order_holders) as holders, (select count(*) from payment_links) as links`.execute(
    sys.db,
  );
  return { orders: Number(rows[0]!.orders), holders: Number(rows[0]!.holders), links: Number(rows[0]!.links), sessions: sys.sandbox!.stripe.sessions().length };
}

const person = { ...HOLDER };
const { birthDate: _b, birthPlace: _p, ...personWithoutBirth } = person;
const swiss = { ...HOLDER, country: 'CH', city: 'Genève', postalCode: '1201', phone: '+41.221234567' };
const norwegian = { ...HOLDER, country: 'NO', city: 'Oslo', postalCode: '0150', phone: '+47.22123456' };
const belgianCompany = {
  ...COMPANY_HOLDER,
  organization: 'Boulangerie Bruxelles SRL',
  companyId: '0403.170.701',
  country: 'BE',
  city: 'Bruxelles',
  postalCode: '1000',
  phone: '+32.21234567',
};
const { companyId: _c, ...companyWithoutId } = COMPANY_HOLDER;

describe('eligibility, each rule accepted and refused before any payment', () => {
  const cases: { title: string; domain: string; holder: object; refused?: [string, string][] }[] = [
    { title: '.fr: a person in France with birth date and place', domain: 'personne-fr.fr', holder: person },
    {
      title: '.fr: a person without birth date and place',
      domain: 'sans-naissance.fr',
      holder: personWithoutBirth,
      refused: [
        ['holder.birthDate', 'holder_field_required'],
        ['holder.birthPlace', 'holder_field_required'],
      ],
    },
    { title: '.fr: a French company with its SIRET', domain: 'societe-fr.fr', holder: COMPANY_HOLDER },
    {
      title: '.fr: a French company without its identifier',
      domain: 'societe-sans-id.fr',
      holder: companyWithoutId,
      refused: [['holder.companyId', 'holder_field_required']],
    },
    { title: '.fr: a Belgian company with its national number', domain: 'societe-be.fr', holder: belgianCompany },
    { title: '.fr: a person in Switzerland (AFNIC takes Switzerland)', domain: 'personne-ch.fr', holder: swiss },
    // not established in the EU or the EEA, and no identifier AFNIC could check: both rules named
    {
      title: '.fr: a US company',
      domain: 'societe-us.fr',
      holder: US_COMPANY_HOLDER,
      refused: [
        ['holder.country', 'holder_country_not_eligible'],
        ['holder.companyId', 'holder_field_required'],
      ],
    },
    { title: '.eu: a person in France', domain: 'personne-fr.eu', holder: person },
    { title: '.eu: a person in Norway (EEA)', domain: 'personne-no.eu', holder: norwegian },
    {
      title: '.eu: a person in Switzerland (not in the EEA)',
      domain: 'personne-ch.eu',
      holder: swiss,
      refused: [['holder.country', 'holder_country_not_eligible']],
    },
    { title: '.eu: a US company', domain: 'societe-us.eu', holder: US_COMPANY_HOLDER, refused: [['holder.country', 'holder_country_not_eligible']] },
    { title: '.com: a US company (open to all)', domain: 'societe-us.com', holder: US_COMPANY_HOLDER },
  ];
  for (const c of cases) {
    test(`${c.title}: ${c.refused ? 'refused' : 'accepted'}`, async () => {
      const before = await stored();
      const r = await order(c.domain, c.holder);
      if (!c.refused) {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return;
      }
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.code, 'holder_not_eligible');
      assert.equal(r.body.tld, c.domain.split('.').pop());
      assert.deepEqual(
        r.body.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
        c.refused,
      );
      // the message names the registry whose rule refuses
      assert.match(r.body.fields[0].message, new RegExp(`\\.${r.body.tld} \\(${TLD_RULES[r.body.tld]!.registry}\\)`));
      assert.deepEqual(await stored(), before, 'nothing stored, no payment link opened');
    });
  }

  test('a refused US company is offered the same name under the TLDs it may hold, never .fr or .eu', async () => {
    const r = await order('boulangerie-smith.fr', US_COMPANY_HOLDER, { 'accept-language': 'en' });
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.eligibleTlds.sort(), sys.config.tlds.filter((t) => t !== 'fr' && t !== 'eu').sort());
    assert.ok(r.body.alternatives.length > 0);
    for (const a of r.body.alternatives) {
      assert.match(a.domain, /^boulangerie-smith\.(?!fr$|eu$)/);
      assert.equal(a.confirmed, false, 'only RDAP or whois was asked: the order confirms it');
    }
  });

  test('the rules as data: each TLD we sell names its sources, and the .fr attributes follow the holder', () => {
    for (const rule of Object.values(TLD_RULES)) assert.ok(rule.sources.length > 0, `${rule.tld} has its sources`);
    assert.deepEqual(eligibilityProblems(person as never, 'fr'), []);
    assert.deepEqual(registrarAttributes(person as never, 'fr'), {
      FRLegalType: 'Individual',
      FRRegistrantBirthDate: '1984-05-17',
      FRRegistrantBirthplace: '69003 Lyon',
    });
    assert.deepEqual(registrarAttributes(COMPANY_HOLDER as never, 'fr'), { FRLegalType: 'Company', FRRegistrantLegalId: '73282932000074' });
    assert.deepEqual(registrarAttributes(belgianCompany as never, 'fr'), { FRLegalType: 'Company', FRRegistrantLocalId: '0403170701' });
    assert.deepEqual(registrarAttributes(person as never, 'eu'), { EUAgreeWhoisPolicy: 'YES', EUAgreeDeletePolicy: 'YES' });
    assert.deepEqual(registrarAttributes(US_COMPANY_HOLDER as never, 'com'), {});
  });

  test('SIREN and SIRET keys (Luhn), La Poste’s establishments by their digit sum', () => {
    for (const ok of ['732829320', '73282932000074', '552100554', '55210055400013', '35600000000048']) assert.ok(isSirenOrSiret(ok), ok);
    for (const bad of ['732829321', '73282932000075', '12345678', 'ABCDEFGHI', '7328293200007']) assert.ok(!isSirenOrSiret(bad), bad);
  });
});

describe('bad holder data', () => {
  const bad = {
    type: 'robot',
    firstName: '',
    lastName: 'Durand',
    birthDate: '2999-01-01',
    address1: '12 rue des Lilas',
    city: 'Lyon',
    postalCode: '69003',
    country: 'XX',
    phone: '06 12 34 56 78',
  };

  for (const [locale, words] of [
    ['fr', /obligatoire|indicatif|pays|date/i],
    ['en', /required|calling code|country|date/i],
  ] as const) {
    test(`422 names each field, in ${locale === 'fr' ? 'French' : 'English'}, and nothing is stored`, async () => {
      const before = await stored();
      const r = await order('titulaire-invalide.fr', bad, { 'accept-language': locale });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      const named = new Map(r.body.fields.map((f: { field: string; code: string; message: string }) => [f.field, f]));
      for (const field of ['holder.type', 'holder.firstName']) assert.ok(named.has(field), `${field} is named: ${[...named.keys()].join(', ')}`);
      for (const f of r.body.fields) {
        assert.match(f.code, /^[a-z_]+$/);
        assert.ok(f.message.length > 5);
      }
      assert.ok(
        r.body.fields.some((f: { message: string }) => words.test(f.message)),
        JSON.stringify(r.body.fields),
      );
      assert.deepEqual(await stored(), before);
    });
  }

  test('each refinement with its own code: country, phone, birth date, SIRET key', async () => {
    const before = await stored();
    const r = await order('titulaire-invalide.fr', { ...HOLDER, country: 'XX', phone: '0612345678', birthDate: '1984-02-30' });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.deepEqual(
      new Set(r.body.fields.map((f: { field: string; code: string }) => `${f.field} ${f.code}`)),
      new Set(['holder.country holder_country_invalid', 'holder.phone holder_phone_invalid', 'holder.birthDate holder_birth_date_invalid']),
    );
    const siret = await order('titulaire-invalide.fr', { ...COMPANY_HOLDER, companyId: '732 829 320 00075' }, { 'accept-language': 'en' });
    assert.equal(siret.status, 422);
    assert.deepEqual(
      siret.body.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
      [['holder.companyId', 'holder_company_id_invalid']],
    );
    assert.match(siret.body.fields[0].message, /SIREN.*SIRET/);
    const noHolder = await sys.api('/api/request-concierge-service', {
      body: {
        businessName: 'Atelier',
        email: 'sans-titulaire@example.org',
        domain: 'sans-titulaire.fr',
        tier: 'standard',
        locale: 'fr',
        acceptTerms: true,
        earlyStart: true,
      },
    });
    assert.equal(noHolder.status, 422);
    assert.ok(noHolder.body.fields.some((f: { field: string }) => f.field === 'holder'));
    assert.deepEqual(await stored(), before);
  });
});

describe('the purchase', () => {
  async function orderAndPay(domain: string, holder: object) {
    const r = await order(domain, holder);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
    sys.sandbox!.stripe.pay(link.provider_ref!);
    return r.body as { orderId: string; trackingToken: string; domain: string };
  }

  test('a French company’s .fr: registrant the company with its SIRET, the operator the other three, privacy on', async () => {
    await orderAndPay('boulangerie-lefevre.fr', COMPANY_HOLDER);
    const reg = await eventually(async () => sys.sandbox!.registry.get('boulangerie-lefevre.fr'), 30_000);
    assert.deepEqual(reg.attributes, { FRLegalType: 'Company', FRRegistrantLegalId: '73282932000074' });
    assert.equal(reg.privacy, true);
    const c = reg.contacts!;
    assert.equal(c.Registrant!.OrganizationName, 'Boulangerie Lefèvre SARL');
    assert.equal(c.Registrant!.LastName, 'Lefèvre');
    assert.match(c.Registrant!.EmailAddress!, /^titulaire-\d+@example\.org$/, 'the holder’s email is the order’s');
    for (const role of ['Admin', 'Tech', 'AuxBilling']) assert.equal(c[role]!.EmailAddress, sys.config.REGISTRAR_CONTACT_EMAIL, `${role} is the operator`);
  });

  test('an IDN is bought in punycode with its IdnCode; the customer sees it in Unicode', async () => {
    const o = await orderAndPay('pâtisserie-titulaire.fr', HOLDER);
    assert.equal(o.domain, 'xn--ptisserie-titulaire-bvb.fr');
    const reg = await eventually(async () => sys.sandbox!.registry.get('xn--ptisserie-titulaire-bvb.fr'), 30_000);
    assert.equal(reg.idnCode, 'fre');
    const status = await sys.api(`/api/concierge/status/${o.trackingToken}`);
    assert.equal(status.body.domainUnicode, 'pâtisserie-titulaire.fr');
  });

  test('an accented name under a TLD whose IDN table is not ours is 422 before anything', async () => {
    const r = await sys.api(`/api/domains/check?name=${encodeURIComponent('pâtisserie.io')}`);
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'domain_idn_not_sold');
  });
});
