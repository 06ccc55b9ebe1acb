import type { Role } from '../auth/capabilities';

export interface FlashMessage {
  kind: 'success' | 'error' | 'info';
  text: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares its types in this namespace
  namespace Express {
    interface User {
      id: number;
      username: string;
      email: string;
      first_name: string;
      last_name: string;
      display_name: string;
      role: Role;
      email_verified_at: Date | null;
    }
    interface Response {
      /** Renders `<owner>/<name>` in the active theme's layout, with the request's locals. */
      renderPage(template: string, locals?: Record<string, unknown>, status?: number): Promise<void>;
      /** Adds a message shown on the next page this session sees. */
      flash(kind: FlashMessage['kind'], text: string): void;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

export {};
