// The app's menu: the platform's usual Edit, View and Window menus, and File › Open database…, which asks the window
// for a database (a file path or a postgres:// URL) to switch to.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { STUDIO_ASK_DATABASE_CHANNEL } from './channels';
import { studioWindows } from './windows';

export const OPEN_DATABASE_LABEL = 'Open database…';

/** Asks the app's window which database to open (the window shows its dialog). */
export function askForDatabase(): void {
  const [window] = studioWindows();
  if (!window || window.webContents.isDestroyed()) return;
  window.show();
  window.webContents.send(STUDIO_ASK_DATABASE_CHANNEL);
}

export function installAppMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [{ label: OPEN_DATABASE_LABEL, accelerator: 'CmdOrCtrl+Shift+O', click: askForDatabase }, { type: 'separator' }, process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
