/**
 * Camera, microphone, notifications, geolocation, USB, …: every permission request and check is
 * refused, but the clipboard write of the app's own page (permissionAllowed in security.ts).
 * Takes the Electron session as a parameter, so it is tested under Node with a fake.
 */
import type { Session } from 'electron';
import { permissionAllowed } from './security.js';

export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function refusePermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl ?? contents?.getURL())),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
