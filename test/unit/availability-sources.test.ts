// The pure parts of the availability sources: reading whois answers, finding a TLD's RDAP server, Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBootstrap, RdapSource, sandboxBootstrap } from '../../src/providers/availability/rdap/client.ts';
import { parseRetryAfter } from '../../src/providers/http.ts';
import { readWhoisAnswer } from '../../src/providers/availability/whois/client.ts';

test('whois answers that mean "free", in each registry\'s words', () => {
  for (const text of [
    'No match for "EXAMPLE-FREE.COM".\r\n>>> Last update of whois database: 2026-01-01T00:00:00Z <<<\r\n',
    '%%\n%% This is the AFNIC Whois server.\n%%\n\n%% NOT FOUND\n',
    'NOT FOUND\n>>> Last update of WHOIS database: 2026-01-01T00:00:00Z <<<',
    'No Data Found\n',
    'Domain: example-free.de\nStatus: free\n',
    'Domain: example-free.eu\nStatus: AVAILABLE\n',
    '% No entries found for the selected source(s).\n',
    'The queried object does not exist: DOMAIN NOT FOUND\n',
  ]) {
    assert.equal(readWhoisAnswer(text), 'available', text);
  }
});

test('whois answers that mean "registered", "busy", nothing, or something else', () => {
  assert.equal(readWhoisAnswer('   Domain Name: GOOGLE.COM\r\n   Registrar: MarkMonitor Inc.\r\n'), 'registered');
  assert.equal(readWhoisAnswer('domain:      google.fr\nstatus:      ACTIVE\n'), 'registered');
  assert.equal(readWhoisAnswer('Creation Date: 1997-09-15T04:00:00Z\n'), 'registered');
  assert.equal(readWhoisAnswer('% Error: server busy, please try again later\r\n'), 'busy');
  assert.equal(readWhoisAnswer('% Query rate limit exceeded. Try again later.\r\n'), 'busy');
  assert.equal(readWhoisAnswer(''), 'empty');
  assert.equal(readWhoisAnswer('Welcome to our whois service!\n'), 'unparseable');
});

test('the shipped bootstrap is the IANA file: com, net, org, fr and shop have RDAP, eu and io have none', () => {
  const bootstrap = loadBootstrap();
  assert.equal(bootstrap.version, '1.0');
  const rdap = new RdapSource({ bootstrap, timeoutMs: 1000, userAgent: 'test' });
  assert.equal(rdap.serverFor('com'), 'https://rdap.verisign.com/com/v1/');
  assert.equal(rdap.serverFor('example.net'), 'https://rdap.verisign.com/net/v1/');
  assert.equal(rdap.serverFor('org'), 'https://rdap.publicinterestregistry.org/rdap/');
  assert.equal(rdap.serverFor('fr'), 'https://rdap.nic.fr/');
  assert.equal(rdap.serverFor('shop'), 'https://rdap.gmoregistry.net/rdap/');
  assert.equal(rdap.supports('eu'), false);
  assert.equal(rdap.supports('io'), false);
});

test('the longest matching entry wins, and a base URL always ends with a slash', () => {
  const rdap = new RdapSource({
    bootstrap: {
      version: '1.0',
      publication: '2026-01-01T00:00:00Z',
      services: [
        [['uk'], ['https://rdap.example/uk']],
        [['co.uk'], ['http://rdap.example/co-uk/', 'https://rdap.example/co-uk/']],
      ],
    },
    timeoutMs: 1000,
    userAgent: 'test',
  });
  assert.equal(rdap.serverFor('shop.co.uk'), 'https://rdap.example/co-uk/');
  assert.equal(rdap.serverFor('shop.uk'), 'https://rdap.example/uk/');
  assert.equal(rdap.serverFor('shop.fr'), undefined);
});

test('the sandbox bootstrap points every server at the sandbox, and adds none', () => {
  const shipped = loadBootstrap();
  const sandbox = sandboxBootstrap(shipped, 'http://127.0.0.1:4321');
  assert.equal(sandbox.services.length, shipped.services.length);
  assert.ok(sandbox.services.every(([, urls]) => urls.length === 1 && urls[0] === 'http://127.0.0.1:4321/'));
  const rdap = new RdapSource({ bootstrap: sandbox, timeoutMs: 1000, userAgent: 'test' });
  assert.equal(rdap.serverFor('fr'), 'http://127.0.0.1:4321/');
  assert.equal(rdap.supports('eu'), false);
});

test('Retry-After in seconds or as a date', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')), 10_000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
});
