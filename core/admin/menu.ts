import type { Request } from 'express';

export interface MenuItem {
  owner: string;
  id: string;
  label: string;
  href: string;
  /** The capability a person needs to see the entry (and the page behind it checks it again). */
  capability: string;
  order?: number;
}

export interface DashboardWidget {
  owner: string;
  id: string;
  title: string;
  capability: string;
  /** Returns escaped HTML (render a template for anything more than a line). */
  render(req: Request): Promise<string>;
}

/** The admin shell's menu and dashboard, filled by core and plugins; entries go with their plugin. */
export class AdminShell {
  private readonly items: MenuItem[] = [];
  private readonly widgets: DashboardWidget[] = [];

  addMenuItem(item: MenuItem): () => void {
    this.items.push(item);
    return () => drop(this.items, item);
  }

  addWidget(widget: DashboardWidget): () => void {
    this.widgets.push(widget);
    return () => drop(this.widgets, widget);
  }

  menu(): MenuItem[] {
    return [...this.items].sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.label.localeCompare(b.label));
  }

  dashboardWidgets(): DashboardWidget[] {
    return [...this.widgets];
  }
}

function drop<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
