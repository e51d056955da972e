/** API keys: who may call the service and with which role (see docs/security.md). */
import { Type, type Static } from 'typebox';

export const ROLES = ['reader', 'writer', 'admin'] as const;
export const Role = Type.Union([Type.Literal('reader'), Type.Literal('writer'), Type.Literal('admin')]);
export type Role = (typeof ROLES)[number];

/** A key as listed: never its secret, never its hash. */
export const ApiKeyInfo = Type.Object({
  id: Type.String({ description: 'Public part of the key (fsk_<id>_<secret>)' }),
  name: Type.String(),
  role: Role,
  created_at: Type.String(),
  created_by: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()], { description: 'Updated at most once a minute' }),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  rotated_at: Type.Union([Type.String(), Type.Null()]),
  previous_secret_expires_at: Type.Union([Type.String(), Type.Null()], { description: 'Until when the secret before the last rotation is still accepted' }),
  revoked: Type.Boolean(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});
export type ApiKeyInfo = Static<typeof ApiKeyInfo>;

/** Answer of create and rotate: the only time the secret is shown. */
export const IssuedApiKey = Type.Object({
  key: Type.String({ description: 'The secret to send as `Authorization: Bearer <key>`; shown once, store it now' }),
  info: ApiKeyInfo,
});
export type IssuedApiKey = Static<typeof IssuedApiKey>;

export const CreateApiKeyRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.@-]+$', description: 'Shown in the audit log as key:<name>' }),
    role: Role,
    expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>;

export const RotateApiKeyRequest = Type.Object(
  {
    grace_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 30 * 24 * 3600, description: 'How long the old secret keeps working; 0 (default) revokes it at once' }),
    ),
  },
  { additionalProperties: false },
);
export type RotateApiKeyRequest = Static<typeof RotateApiKeyRequest>;
