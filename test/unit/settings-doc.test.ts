// The settings reference is the schema's: docs/settings.md is what `npm run docs:settings` writes from src/config/,
// every setting belongs to exactly one group, and each says what it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SETTINGS_DOC, settingsDoc } from '../../scripts/settings-doc.ts';
import { SETTING_GROUPS, settingsSchema } from '../../src/config/schema.ts';

test('docs/settings.md is what `npm run docs:settings` writes from the schema', () => {
  const written = fs.existsSync(SETTINGS_DOC) ? fs.readFileSync(SETTINGS_DOC, 'utf8') : '';
  assert.ok(written === settingsDoc(), 'docs/settings.md is out of date: run `npm run docs:settings` and commit the result');
});

test('every setting is in exactly one group, and has a description', () => {
  const grouped = SETTING_GROUPS.flatMap((g) => Object.keys(g.settings));
  assert.equal(new Set(grouped).size, grouped.length, 'a setting declared in two groups (the later one would silently win)');
  assert.deepEqual([...grouped].sort(), Object.keys(settingsSchema.shape).sort());
  for (const g of SETTING_GROUPS) {
    assert.ok(g.title && g.about, 'a group without its title or its paragraph');
    for (const [name, schema] of Object.entries(g.settings)) assert.ok(schema.meta()?.description, `${name} has no description`);
  }
});

test('the reference lists every setting with its default', () => {
  const doc = settingsDoc();
  for (const name of Object.keys(settingsSchema.shape)) assert.match(doc, new RegExp(`^\\| \`${name}\`( \\(secret\\))? \\| `, 'm'), name);
  assert.match(doc, /^\| `PORT` \| `3000` \| integer 0 to 65535 \| /m);
  assert.match(doc, /^\| `STRIPE_SECRET_KEY` \(secret\) \| unset \| /m);
});
