import type { Component } from 'solid-js';
import { ChannelsPage } from './channels/channels-page.tsx';
import { channelText } from './channels/messages.ts';
import { LogsPage } from './logs/logs-page.tsx';
import { logText } from './logs/messages.ts';
import { redemptionText } from './redemptions/messages.ts';
import { RedemptionsPage } from './redemptions/redemptions-page.tsx';
import { settingsText } from './settings/messages.ts';
import { SettingsPage } from './settings/settings-page.tsx';
import { userText } from './users/messages.ts';
import { UsersPage } from './users/users-page.tsx';

/** The administrators' pages, mounted under /admin by the shell and listed in its menu. */
export interface AdminPage {
  path: string;
  title: () => string;
  component: Component;
}

export const adminPages: AdminPage[] = [
  { path: 'channels', title: () => channelText().title, component: ChannelsPage },
  { path: 'users', title: () => userText().title, component: UsersPage },
  { path: 'redemptions', title: () => redemptionText().title, component: RedemptionsPage },
  { path: 'logs', title: () => logText().title, component: LogsPage },
  // Root only: the page says so to administrators instead of failing.
  { path: 'settings', title: () => settingsText().title, component: SettingsPage },
];
