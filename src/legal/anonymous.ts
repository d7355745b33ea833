// What stands in for erased personal data: values that say so and can reach nobody.
import crypto from 'node:crypto';

/** RFC 2606 reserves `.invalid`: mail there is never delivered. */
export const ERASED_EMAIL_DOMAIN = 'erased.invalid';
export const ERASED_NAME = '—';

/** The address an erased order keeps: unique per order (nothing ties two erased orders together), deliverable nowhere. */
export const erasedEmail = (orderId: string) => `erased-${orderId}@${ERASED_EMAIL_DOMAIN}`;

export const isErasedEmail = (email: string) => email.toLowerCase().endsWith(`@${ERASED_EMAIL_DOMAIN}`);

/** How an erasure remembers an address without keeping it. */
export const emailHash = (email: string) => crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** The keys of an order event's data that may hold personal data (an email's subject names the business). */
export const PERSONAL_EVENT_KEYS = ['subject', 'comment', 'email', 'businessName', 'city', 'name', 'holder', 'payerEmail'];
