// Sandbox VIES: the EU's VAT number check as its REST API speaks it (VIES "Technical information", REST API,
// OpenAPI `vies-rest-api`: `POST /check-vat-number` with {countryCode, vatNumber}, answering {countryCode, vatNumber,
// requestDate, valid, requestIdentifier, name, address}; a malformed request is HTTP 400 with
// {actionSucceed: false, errorWrappers: [{error: "INVALID_INPUT"}]}).
// Known numbers: every well-formed number is registered, except those whose digits end in 999 (a number VIES does not
// know), so tests and demos can show both answers.
import { listenHttp } from '../http/server.ts';
import { sendJson } from '../http/answer.ts';
import { jsonObject, readText } from '../http/body.ts';
import type { FaultInjector, SandboxServer } from '../faults.ts';

/** The member-state codes VIES answers for (EL is Greece, XI Northern Ireland). */
const MEMBER_STATES = 'AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI'.split(' ');

const invalidInput = {
  actionSucceed: false,
  errorWrappers: [{ error: 'INVALID_INPUT', message: 'The provided CountryCode is invalid or the VAT number is empty' }],
};

export async function startViesServer(opts: { port?: number; faults: FaultInjector }): Promise<SandboxServer> {
  const listener = await listenHttp(
    async (req, res) => {
      if (!(await opts.faults.apply(req, res))) return;
      const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
      if (req.method !== 'POST' || path !== '/check-vat-number') return sendJson(res, 404, { actionSucceed: false, errorWrappers: [{ error: 'NOT_FOUND' }] });
      const body = jsonObject(await readText(req, 10_000));
      const countryCode = typeof body?.countryCode === 'string' ? body.countryCode : '';
      const vatNumber = typeof body?.vatNumber === 'string' ? body.vatNumber.replace(/[\s.-]/g, '').toUpperCase() : '';
      if (!MEMBER_STATES.includes(countryCode) || !/^[0-9A-Z+*]{2,12}$/.test(vatNumber)) return sendJson(res, 400, invalidInput);
      const valid = !/999$/.test(vatNumber);
      sendJson(res, 200, {
        countryCode,
        vatNumber,
        requestDate: new Date().toISOString(),
        valid,
        requestIdentifier: '',
        name: valid ? 'SANDBOX TRADER' : '---',
        address: valid ? 'SANDBOX STREET 1' : '---',
        traderName: '',
        traderStreet: '',
        traderPostalCode: '',
        traderCity: '',
        traderCompanyType: '',
        traderNameMatch: 'NOT_PROCESSED',
        traderStreetMatch: 'NOT_PROCESSED',
        traderPostalCodeMatch: 'NOT_PROCESSED',
        traderCityMatch: 'NOT_PROCESSED',
        traderCompanyTypeMatch: 'NOT_PROCESSED',
      });
    },
    { port: opts.port, failure: (res) => sendJson(res, 500, { actionSucceed: false, errorWrappers: [{ error: 'SERVICE_UNAVAILABLE' }] }) },
  );
  return { name: 'vies', url: listener.url, faults: opts.faults, close: () => listener.close() };
}
