import { z } from 'zod';
import { secretString } from '../secret-schema.js';

const snmpCommunity = z
  .object({
    version: z.enum(['v1', 'v2c']),
    community: secretString(),
  })
  .strict();

const snmpV3 = z
  .object({
    version: z.literal('v3'),
    user: z.string().min(1),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('authPriv'),
    authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).default('sha'),
    authKey: secretString().optional(),
    privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).default('aes'),
    privKey: secretString().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.level !== 'noAuthNoPriv' && !v.authKey)
      ctx.addIssue({ code: 'custom', path: ['authKey'], message: `authKey is required for level ${v.level}` });
    if (v.level === 'authPriv' && !v.privKey)
      ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'privKey is required for level authPriv' });
  });

export const snmpCredentialSchema = z.discriminatedUnion('version', [snmpCommunity, snmpV3]);

export const onvifCredentialSchema = z
  .object({
    username: z.string().min(1),
    password: secretString(),
  })
  .strict();

/** Secret request headers of http checks (Authorization, API keys): the inventory names the entry. */
export const httpCredentialSchema = z
  .object({
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not an HTTP header name'), secretString()),
  })
  .strict();

/** Named credentials; the inventory refers to them by name so no secret lives beside a device. */
export const credentialsSection = z
  .object({
    snmp: z.record(z.string(), snmpCredentialSchema).default({}),
    onvif: z.record(z.string(), onvifCredentialSchema).default({}),
    http: z.record(z.string(), httpCredentialSchema).default({}),
  })
  .strict();

export type SnmpCredential = z.infer<typeof snmpCredentialSchema>;
export type OnvifCredential = z.infer<typeof onvifCredentialSchema>;
export type HttpCredential = z.infer<typeof httpCredentialSchema>;
