import { type BaseInteraction, GuildMember, PermissionFlagsBits } from 'discord.js';
import type { DiscordCaller } from './command-port.ts';

/**
 * Who is asking, from what Discord sent. May administer the channel: Manage Channels there
 * (Discord computes the member's permissions in the channel, overwrites included; Administrator
 * implies it) or the configured admin role. In DMs nobody administers anything.
 */
export function callerFromInteraction(interaction: BaseInteraction, adminRoleId?: string): DiscordCaller {
  const member = interaction.member;
  const roles = !member ? [] : member instanceof GuildMember ? [...member.roles.cache.keys()] : member.roles;
  const inGuild = interaction.inGuild();
  const manages = interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false;
  const hasRole = Boolean(adminRoleId) && roles.includes(adminRoleId as string);
  return {
    platform: 'discord',
    userId: interaction.user.id,
    displayName: displayName(interaction),
    channelId: interaction.channelId,
    canAdministerChannel: inGuild && (manages || hasRole),
    timeZone: null,
  };
}

function displayName(interaction: BaseInteraction): string {
  const { member, user } = interaction;
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick ?? user.globalName ?? user.username;
}
