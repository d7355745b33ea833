// The column types the table interfaces share: how a timestamptz or a jsonb column reads and is written.
import type { ColumnType } from 'kysely';

/** timestamptz the code always writes */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz defaulting to now() that an update may move */
export type TouchedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** timestamptz defaulting to now(), set once */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb written as JSON text */
export type Json<T> = ColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
/** who took a payment */
export type PaymentProvider = 'stripe' | 'paypal';
