import type { ModelStatic, Transaction } from 'sequelize';
import type { AbilityModel } from '../models/ability.js';
import { ChannelStatus, type ChannelModel } from '../models/channel.js';

/**
 * A channel's abilities mirror it (each group × each model, enabled with it, at its priority and
 * weight); they are rewritten in the transaction that writes the channel.
 */
export async function rebuildAbilities(
  Ability: ModelStatic<AbilityModel>,
  row: ChannelModel,
  transaction: Transaction,
): Promise<void> {
  await Ability.destroy({ where: { channelId: row.id }, transaction });
  const groups = splitList(row.group);
  const models = [...new Set(splitList(row.models))];
  const abilities = groups.flatMap((group) =>
    models.map((model) => ({
      group,
      model,
      channelId: row.id,
      enabled: row.status === ChannelStatus.enabled,
      priority: Number(row.priority),
      weight: row.weight,
    })),
  );
  if (abilities.length > 0) await Ability.bulkCreate(abilities, { transaction });
}

function splitList(value: string): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}
