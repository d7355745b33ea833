-- Pictures made ready for the web at upload: the upload's own size, and the narrower copies a browser picks from (srcset).

-- What the customer sent, before it was resized and recompressed; null for assets kept before this.
alter table site_assets add column original_size integer check (original_size > 0);

-- One narrower copy per width, in the asset's own format; they go when their asset goes.
create table site_asset_variants (
  asset_id  uuid not null references site_assets (id) on delete cascade,
  width     integer not null check (width > 0),
  height    integer not null check (height > 0),
  bytes     bytea not null,
  primary key (asset_id, width)
);
