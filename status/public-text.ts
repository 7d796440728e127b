import { z } from 'zod';

/** The longest public incident message: one or two sentences a citizen reads on a phone. */
export const PUBLIC_MESSAGE_MAX = 280;

/**
 * A short plain-text message for the public (status page, Atom feed). Markup is refused rather than
 * escaped away: an operator who pastes HTML learns at once that the public will not see it as such.
 * (The page and the feed escape everything anyway.)
 */
export const publicMessageSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty (leave it out instead) / tidak boleh kosong')
  .max(PUBLIC_MESSAGE_MAX, `at most ${PUBLIC_MESSAGE_MAX} characters / paling banyak ${PUBLIC_MESSAGE_MAX} karakter`)
  .refine((s) => !/[<>]/.test(s), 'plain text only: no "<" or ">" (no HTML) / hanya teks biasa, tanpa HTML')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'no control characters / tanpa karakter kontrol');
