-- Site content: the editor's document, the pictures it references, and the static-site archive a customer may upload instead.

-- One document per order. `version` grows by one on every save (optimistic concurrency:
-- a save names the version it edited); `published_version` is the one the live site shows.
create table site_documents (
  order_id           uuid primary key references orders (id) on delete cascade,
  document           jsonb not null,
  version            integer not null default 1 check (version >= 1),
  updated_at         timestamptz not null default now(),
  published_version  integer,
  published_at       timestamptz
);

-- Logos and pictures, checked by their content (magic bytes, size, dimensions) before they land here.
-- The same bytes uploaded twice for one order are one asset.
create table site_assets (
  id            uuid primary key,
  order_id      uuid not null references orders (id) on delete cascade,
  kind          text not null check (kind in ('logo', 'picture')),
  content_type  text not null check (content_type in ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
  bytes         bytea not null,
  size          integer not null check (size > 0),
  width         integer not null check (width > 0),
  height        integer not null check (height > 0),
  sha256        text not null,
  name          text,                   -- the file name the browser gave, for display only
  created_at    timestamptz not null default now(),
  unique (order_id, sha256)
);
create index site_assets_order_idx on site_assets (order_id, created_at);

-- A static site uploaded as a ZIP at order time: only archives that passed every check are kept,
-- already extracted (paths normalised, the single top folder removed), so a deploy reads files, not a ZIP.
create table site_archives (
  order_id        uuid primary key references orders (id) on delete cascade,
  sha256          text not null,        -- of the uploaded ZIP
  size            bigint not null,      -- of the uploaded ZIP
  files           integer not null,
  content_bytes   bigint not null,      -- uncompressed, all files together
  uploaded_at     timestamptz not null default now()
);

create table site_archive_files (
  order_id  uuid not null references site_archives (order_id) on delete cascade,
  path      text not null check (path like '/%'),
  content   bytea not null,
  primary key (order_id, path)
);
