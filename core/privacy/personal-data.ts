import type { ModelStatic, Model } from 'sequelize';

declare module 'sequelize' {
  interface ModelAttributeColumnOptions {
    /** This column holds personal data: some exporter and some eraser must declare that they cover it. */
    personal?: boolean;
  }
}

/** `Model.attribute` names of every column marked `personal: true` on the given models. */
export function personalAttributes(models: Iterable<ModelStatic<Model>>): string[] {
  const out: string[] = [];
  for (const model of models) {
    for (const [attr, def] of Object.entries(model.getAttributes())) {
      if (def.personal) out.push(`${model.name}.${attr}`);
    }
  }
  return out.sort();
}
