import { ApiHeader } from '@nestjs/swagger';

// The request and answer headers of API.md, with the formats the server checks (cases/command-headers.ts).

/** `Idempotency-Key`: 1–128 visible ASCII characters (decision 0004). */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retry with the same key and body answers the first answer and appends nothing; another body is 422',
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]{1,128}$' },
  });

/** `If-Match`: the revision as the ETag gave it (`"3"`; a bare or weak form is accepted too). */
export const ApiIfMatch = (description = 'the revision the change was made on (the ETag); 412 when no longer current') =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description,
    schema: { type: 'string', pattern: '^(?:W/)?"?\\d{1,15}"?$', example: '"3"' },
  });

type Header = { description: string; schema: Record<string, unknown> };
export const ETAG: Record<string, Header> = {
  ETag: { description: 'the revision after the write (or of the read), for If-Match', schema: { type: 'string', pattern: '^"\\d+"$' } },
};
export const REPLAYED: Record<string, Header> = {
  'Idempotent-Replayed': {
    description: 'present (`true`) when the answer is the first answer to this Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};
export const LOCATION: Record<string, Header> = {
  Location: { description: 'where the created resource is read', schema: { type: 'string' } },
};
export const NO_STORE: Record<string, Header> = {
  'Cache-Control': { description: '`no-store`: not kept in shared caches or the browser', schema: { type: 'string', enum: ['no-store'] } },
};
export const ATTACHMENT: Record<string, Header> = {
  'Content-Disposition': { description: 'CSV and PDF: `attachment; filename="…"`', schema: { type: 'string' } },
};
export const COMMAND_HEADERS = { ...ETAG, ...REPLAYED };
