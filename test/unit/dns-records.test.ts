// The DNS record rules of the customer's space: each type's value, host names relative to the domain, and which sets
// DNS allows (no CNAME at the apex nor beside another record), without I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additionProblem, isIpv4, isIpv6, parseRecord, relativeHost, targetName, txtValue } from '../../src/domain/dns-records.ts';
import { MAIL_PRESETS, presetRecords } from '../../src/domain/mail-presets.ts';
import { recordId } from '../../src/account/dns.ts';

test('IPv4: dotted quads of 0-255, no leading zeros', () => {
  for (const ok of ['0.0.0.0', '203.0.113.9', '255.255.255.255']) assert.ok(isIpv4(ok), ok);
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4 ', 'a.b.c.d', '', '1..2.3']) assert.ok(!isIpv4(bad), bad);
});

test('IPv6: eight groups or one "::", an IPv4 tail allowed; no zone, no prefix', () => {
  for (const ok of ['::', '::1', '2001:db8::1', '2001:DB8:0:0:8:800:200C:417A', 'fe80::', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4'])
    assert.ok(isIpv6(ok), ok);
  for (const bad of [
    '2001::db8::1',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    'fe80::1%eth0',
    '2001:db8::/32',
    'g::1',
    '',
    ':1',
    '::1.2.3',
    '1::2:3:4:5:6:7:8',
  ])
    assert.ok(!isIpv6(bad), bad);
});

test('host names: relative to the domain, the full name and a final dot accepted, labels of 63, underscores for _dmarc', () => {
  assert.equal(relativeHost('@', 'ex.fr'), '@');
  assert.equal(relativeHost('', 'ex.fr'), '@');
  assert.equal(relativeHost('EX.FR.', 'ex.fr'), '@');
  assert.equal(relativeHost('www.ex.fr', 'ex.fr'), 'www');
  assert.equal(relativeHost('selector1._domainkey', 'ex.fr'), 'selector1._domainkey');
  assert.equal(relativeHost('*.shop', 'ex.fr'), '*.shop');
  for (const bad of ['a b', 'a..b', '-a', 'a-', `${'a'.repeat(64)}`, 'shop.*', '<x>', 'é']) assert.equal(typeof relativeHost(bad, 'ex.fr'), 'object', bad);
  assert.equal(targetName('MX.Example.NET.'), 'mx.example.net');
  for (const bad of ['localhost', '203.0.113.1', 'https://x.fr/', 'a b.fr', 'x.123']) assert.equal(targetName(bad), undefined, bad);
});

test('TXT: printable ASCII up to 2,048, one pair of enclosing quotes taken off, none inside', () => {
  assert.equal(txtValue('"v=spf1 -all"'), 'v=spf1 -all');
  assert.equal(txtValue('a'.repeat(2048))?.length, 2048);
  for (const bad of ['', '""', 'a"b', 'a\nb', 'é', 'a'.repeat(2049)]) assert.equal(txtValue(bad), undefined, JSON.stringify(bad));
});

test('a record is checked field by field and normalised; priority only on MX, 10 by default', () => {
  assert.deepEqual(parseRecord({ type: 'MX', host: 'ex.fr', value: 'MX.ex.net.' }, 'ex.fr'), {
    type: 'MX',
    host: '@',
    value: 'mx.ex.net',
    ttl: 1800,
    priority: 10,
  });
  assert.deepEqual(
    (parseRecord({ type: 'A', host: 'a b', value: 'x', priority: 1 }, 'ex.fr') as { field: string }[]).map((p) => p.field),
    ['host', 'value', 'priority'],
  );
});

test('sets: no CNAME at the apex, a CNAME alone on its name, no record twice', () => {
  const set = [
    { type: 'A', host: '@', value: '203.0.113.1' },
    { type: 'CNAME', host: 'www', value: 'x.example.net' },
    { type: 'TXT', host: '_dmarc', value: 'v=DMARC1; p=none' },
  ];
  const r = (type: 'CNAME' | 'TXT', host: string, value = 'x.example.com') => ({ type, host, value, ttl: 300 });
  assert.equal(additionProblem(set, r('CNAME', '@'))?.code, 'dns_cname_at_apex');
  assert.equal(additionProblem(set, r('TXT', 'www', 'hello'))?.code, 'dns_cname_conflict');
  assert.equal(additionProblem(set, r('CNAME', '_dmarc'))?.code, 'dns_cname_conflict');
  assert.equal(additionProblem(set, r('TXT', '_dmarc', 'v=DMARC1; p=none'))?.code, 'dns_record_exists');
  assert.equal(additionProblem(set, r('CNAME', 'shop')), undefined);
});

test('a record’s id says what it is: the same record the same id, any difference another', () => {
  const a = { type: 'MX', host: '@', value: 'mx.example.net', priority: 10 };
  assert.equal(recordId(a), recordId({ ...a }));
  assert.notEqual(recordId(a), recordId({ ...a, priority: 20 }));
  assert.notEqual(recordId(a), recordId({ ...a, host: 'mail' }));
});

test('every preset is valid for a domain, cites its source, and Microsoft’s MX names the domain', () => {
  for (const preset of MAIL_PRESETS) {
    assert.match(preset.source, /^https:\/\//);
    for (const record of presetRecords(preset, 'boulangerie-martin.fr')) {
      const parsed = parseRecord(record, 'boulangerie-martin.fr');
      assert.ok(!Array.isArray(parsed), `${preset.id}: ${JSON.stringify(record)}`);
    }
  }
  const microsoft = MAIL_PRESETS.find((p) => p.id === 'microsoft')!;
  assert.equal(presetRecords(microsoft, 'boulangerie-martin.fr')[0]!.value, 'boulangerie-martin-fr.mail.protection.outlook.com');
});
