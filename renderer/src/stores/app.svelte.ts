/** App-wide state: what the backend says about itself (the About dialog), and the worker round trip. */
import type { AppInfo, PingReply } from '../../../shared/ipc/contract.js';
import { studio } from '../lib/studio.js';

class AppStore {
  info = $state<AppInfo | null>(null);
  error = $state<string | null>(null);
  ping = $state<PingReply | null>(null);
  pinging = $state(false);
  private settleReady!: (info: AppInfo) => void;
  /** Resolves once the backend's app info has arrived. */
  readonly ready = new Promise<AppInfo>((resolve) => (this.settleReady = resolve));

  async load(): Promise<void> {
    try {
      this.info = await studio.call('app:info');
      this.settleReady(this.info);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async pingWorker(): Promise<void> {
    this.pinging = true;
    try {
      this.ping = await studio.call('runs:ping', { message: 'hello from the renderer' });
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.pinging = false;
    }
  }
}

export const appStore = new AppStore();
