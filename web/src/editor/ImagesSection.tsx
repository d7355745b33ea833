// Logo and pictures: uploads (type and size limits shown, the server checks the content and says why it refuses),
// the gallery in order with each picture's description, and the pictures uploaded but not used.
import { useRef, useState } from 'react';
import { ApiError } from '../api.ts';
import { inputId, newKey } from './draft.ts';
import { GroupError, Section, TextInput, useForm } from './fields.tsx';
import { Arrow, Plus, focusSoon } from './sections.tsx';
import { siteApi, type Asset, type Limits } from './siteApi.ts';
import type { SaveOutcome } from './useSiteDraft.ts';

type Message = { kind: 'status' | 'error'; text: string } | null;

function typeNames(types: string[]): string {
  return types.map((t) => (t === 'image/webp' ? 'WebP' : t.replace(/^image\//, '').toUpperCase())).join(', ');
}

export function ImagesSection({
  token,
  assets,
  limits,
  onAsset,
  onDeleted,
  saveNow,
}: {
  token: string;
  assets: Asset[];
  limits: Limits;
  onAsset(asset: Asset): void;
  onDeleted(id: string): void;
  saveNow(): Promise<SaveOutcome>;
}) {
  const f = useForm();
  const { e, draft, locale } = f;
  const logoInput = useRef<HTMLInputElement>(null);
  const picturesInput = useRef<HTMLInputElement>(null);
  const [logoMessage, setLogoMessage] = useState<Message>(null);
  const [picturesMessage, setPicturesMessage] = useState<Message>(null);
  const [libraryMessage, setLibraryMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const mb = (limits.imageMaxBytes / 1_000_000).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
  const accept = limits.imageTypes.join(',');
  const limitsText = e.images.limits(typeNames(limits.imageTypes), mb, limits.imageMaxDimension);

  /** One file up; the asset, or null with the reason shown. */
  const send = async (kind: Asset['kind'], file: File, say: (m: Message) => void): Promise<Asset | null> => {
    if (file.size > limits.imageMaxBytes) {
      say({ kind: 'error', text: e.images.tooLarge(file.name, mb) });
      return null;
    }
    say({ kind: 'status', text: e.images.uploading(file.name) });
    try {
      const asset = await siteApi.upload(token, kind, file, locale);
      onAsset(asset);
      say({ kind: 'status', text: e.images.uploaded(file.name) });
      return asset;
    } catch (err) {
      say({ kind: 'error', text: err instanceof ApiError ? e.images.failed(file.name, err.message) : e.images.offline });
      return null;
    }
  };

  const uploadLogo = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setBusy(true);
    const asset = await send('logo', file, setLogoMessage);
    setBusy(false);
    if (asset) f.update((d) => ({ ...d, logoAssetId: asset.id }), 'logo');
  };

  const uploadPictures = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    let count = draft.pictures.length;
    for (const file of Array.from(files)) {
      if (count >= limits.maxPictures) {
        setPicturesMessage({ kind: 'error', text: e.images.full(limits.maxPictures) });
        break;
      }
      const asset = await send('picture', file, setPicturesMessage);
      if (!asset) break;
      count += 1;
      f.update(
        (d) => (d.pictures.some((p) => p.assetId === asset.id) ? d : { ...d, pictures: [...d.pictures, { key: newKey('p'), assetId: asset.id, alt: '' }] }),
        'pictures',
      );
    }
    setBusy(false);
  };

  const move = (index: number, by: -1 | 1) => {
    const p = draft.pictures[index]!;
    f.update((d) => {
      const next = [...d.pictures];
      next.splice(index, 1);
      next.splice(index + by, 0, p);
      return { ...d, pictures: next };
    });
    f.announce(e.images.moved(index + by + 1));
    focusSoon(inputId(`pictures.${p.key}.${by < 0 ? 'up' : 'down'}`), inputId(`pictures.${p.key}.${by < 0 ? 'down' : 'up'}`));
  };
  const removePicture = (index: number) => {
    const p = draft.pictures[index]!;
    f.update((d) => ({ ...d, pictures: d.pictures.filter((x) => x.key !== p.key) }), 'pictures');
    const next = draft.pictures[index + 1] ?? draft.pictures[index - 1];
    focusSoon(next ? inputId(`pictures.${next.key}.alt`) : 'ed-pictures-add');
  };

  const used = new Set([draft.logoAssetId, ...draft.pictures.map((p) => p.assetId)]);
  const unused = assets.filter((a) => !used.has(a.id));
  const deleteForGood = async (asset: Asset) => {
    setLibraryMessage(null);
    // the server refuses to delete what the saved document shows: save the draft first
    await saveNow();
    try {
      await siteApi.deleteAsset(token, asset.id, locale);
      onDeleted(asset.id);
      setLibraryMessage({ kind: 'status', text: e.images.deleted });
      focusSoon('ed-pictures-add');
    } catch (err) {
      setLibraryMessage({ kind: 'error', text: err instanceof ApiError ? err.message : e.images.offline });
    }
  };

  const logo = draft.logoAssetId ? byId.get(draft.logoAssetId) : undefined;
  return (
    <Section id="ed-section-images" title={e.images.heading} hint={limitsText}>
      <div className="ed-subsection">
        <h3>{e.images.logo}</h3>
        <div className="ed-logo">
          {logo ? (
            <img src={logo.url} alt={e.images.currentLogo} className="ed-logo-img" width={logo.width} height={logo.height} />
          ) : draft.logoAssetId ? null : (
            <p className="muted small">{e.images.noLogo}</p>
          )}
          <div className="ed-item-actions">
            <button
              type="button"
              id={inputId('logo')}
              className="button button-ghost button-small"
              disabled={f.disabled || busy}
              onClick={() => logoInput.current?.click()}
            >
              {draft.logoAssetId ? e.images.replaceLogo : e.images.chooseLogo}
            </button>
            {draft.logoAssetId && (
              <button
                type="button"
                className="button button-ghost button-small ed-danger"
                disabled={f.disabled}
                onClick={() => {
                  f.update((d) => ({ ...d, logoAssetId: '' }), 'logo');
                  focusSoon(inputId('logo'));
                }}
              >
                {e.images.removeLogo}
              </button>
            )}
          </div>
          <input
            ref={logoInput}
            type="file"
            accept={accept}
            hidden
            data-upload="logo"
            onChange={(ev) => {
              void uploadLogo(ev.target.files);
              ev.target.value = '';
            }}
          />
        </div>
        <UploadMessage message={logoMessage} />
        <GroupError name="logo" />
      </div>

      <div className="ed-subsection">
        <h3>{e.images.pictures}</h3>
        <p className="field-hint">{e.images.picturesHint(limits.maxPictures)}</p>
        <ol className="ed-list ed-pictures">
          {draft.pictures.map((p, i) => {
            const asset = byId.get(p.assetId);
            return (
              <li key={p.key} className="ed-item ed-picture">
                {asset ? (
                  <img src={asset.url} alt="" className="ed-thumb" width={asset.width} height={asset.height} loading="lazy" />
                ) : (
                  <span className="ed-thumb" />
                )}
                <div className="ed-grow">
                  <TextInput
                    name={`pictures.${p.key}.alt`}
                    label={e.images.pictureAlt(i + 1)}
                    hint={e.images.altHint}
                    max={160}
                    value={p.alt}
                    onValue={(v) =>
                      f.update((d) => ({ ...d, pictures: d.pictures.map((x) => (x.key === p.key ? { ...x, alt: v } : x)) }), `pictures.${p.key}.alt`)
                    }
                  />
                  <div className="ed-item-actions">
                    <button
                      type="button"
                      id={inputId(`pictures.${p.key}.up`)}
                      className="button button-ghost button-small"
                      aria-label={e.images.upPicture(i + 1)}
                      disabled={f.disabled || i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <Arrow up /> {e.images.earlier}
                    </button>
                    <button
                      type="button"
                      id={inputId(`pictures.${p.key}.down`)}
                      className="button button-ghost button-small"
                      aria-label={e.images.downPicture(i + 1)}
                      disabled={f.disabled || i === draft.pictures.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <Arrow /> {e.images.later}
                    </button>
                    <button
                      type="button"
                      className="button button-ghost button-small ed-danger"
                      aria-label={e.images.removePicture(i + 1)}
                      disabled={f.disabled}
                      onClick={() => removePicture(i)}
                    >
                      {e.images.removeShort}
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
        <GroupError name="pictures" />
        <button
          type="button"
          id="ed-pictures-add"
          className="button button-ghost"
          disabled={f.disabled || busy || draft.pictures.length >= limits.maxPictures}
          onClick={() => picturesInput.current?.click()}
        >
          <Plus /> {e.images.addPictures}
        </button>
        <input
          ref={picturesInput}
          type="file"
          accept={accept}
          multiple
          hidden
          data-upload="picture"
          onChange={(ev) => {
            void uploadPictures(ev.target.files);
            ev.target.value = '';
          }}
        />
        <UploadMessage message={picturesMessage} />
      </div>

      {unused.length > 0 && (
        <div className="ed-subsection">
          <h3>{e.images.library}</h3>
          <ul className="ed-library">
            {unused.map((a) => {
              const name = a.name || e.images.untitled;
              return (
                <li key={a.id} className="ed-library-item">
                  <img src={a.url} alt="" className="ed-thumb" width={a.width} height={a.height} loading="lazy" />
                  <span className="ed-library-name">{name}</span>
                  <span className="ed-item-actions">
                    {a.kind === 'logo' ? (
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        disabled={f.disabled}
                        onClick={() => f.update((d) => ({ ...d, logoAssetId: a.id }), 'logo')}
                      >
                        {e.images.useAsLogo}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        disabled={f.disabled || draft.pictures.length >= limits.maxPictures}
                        onClick={() => f.update((d) => ({ ...d, pictures: [...d.pictures, { key: newKey('p'), assetId: a.id, alt: '' }] }), 'pictures')}
                      >
                        {e.images.use}
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button-ghost button-small ed-danger"
                      aria-label={e.images.removeLabel(name)}
                      disabled={f.disabled}
                      onClick={() => void deleteForGood(a)}
                    >
                      {e.images.remove}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <UploadMessage message={libraryMessage} />
    </Section>
  );
}

function UploadMessage({ message }: { message: Message }) {
  // always in the page, so screen readers hear what arrives in it
  return (
    <div aria-live="polite" className="ed-upload-message">
      {message && <p className={message.kind === 'error' ? 'field-error' : 'muted small'}>{message.text}</p>}
    </div>
  );
}
