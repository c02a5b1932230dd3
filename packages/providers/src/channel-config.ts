import { z } from 'zod';
import { channelTypes, type ChannelType, type ChannelTypeSpec } from './registry.js';

const azureApiVersionMissing = 'required: the Azure API version, e.g. 2024-10-21';
const noConfig = z.object({});

/** A required setting: trimmed, not empty, made of what a URL segment may hold. */
function setting(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dots, dashes and underscores only');
}

/** Type-specific settings, stored in the channel's `config`; types not listed take none. */
const configSchemas: Partial<Record<ChannelType, z.ZodObject>> = {
  azure: z.object({
    apiVersion: z
      .string({ error: azureApiVersionMissing })
      .trim()
      .min(1, azureApiVersionMissing)
      .max(64),
  }),
  'vertex-ai': z.object({
    project: setting('required: the Google Cloud project id'),
    region: setting('required: the Vertex AI region, e.g. us-east5 or global'),
  }),
  'aws-bedrock': z.object({
    region: setting('required: the AWS region, e.g. us-east-1'),
  }),
};

/** How the console checks a channel type's `config` before storing it. */
export function channelConfigSchema(type: string): z.ZodObject {
  return (Object.hasOwn(configSchemas, type) && configSchemas[type as ChannelType]) || noConfig;
}

/** What the console's forms need to know about each type. */
export function listChannelTypes() {
  return Object.values(channelTypes).map((spec: ChannelTypeSpec) => ({
    type: spec.type as ChannelType,
    label: spec.label,
    defaultBaseUrl: spec.defaultBaseUrl,
    baseUrlRequired: spec.baseUrlRequired,
    configFields: Object.keys(channelConfigSchema(spec.type).shape),
  }));
}
