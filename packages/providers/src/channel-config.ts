import { z } from 'zod';
import { channelTypes, type ChannelType, type ChannelTypeSpec } from './registry.js';

const azureApiVersionMissing = 'required: the Azure API version, e.g. 2024-10-21';
const noConfig = z.object({});

/** Type-specific settings, stored in the channel's `config`; types not listed take none. */
const configSchemas: Partial<Record<ChannelType, z.ZodObject>> = {
  azure: z.object({
    apiVersion: z
      .string({ error: azureApiVersionMissing })
      .trim()
      .min(1, azureApiVersionMissing)
      .max(64),
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
