import path from 'node:path';
import { UniqueConstraintError } from 'sequelize';
import type { FieldErrors, PrivateFileInfo, PrivateFiles } from '@agora/core';
import { Product } from '../models/product';
import { ProductDownload } from '../models/product-download';
import { DownloadGrant } from '../models/product-download-grant';
import type { DownloadSettingsForm } from '../forms/download-form';
import { MAX_PRODUCT_DOWNLOADS } from '../forms/download-form';
import { FormProblem } from './form-problem';

/**
 * The types a download is answered with, by its extension. Core's private files send every one of them as an
 * attachment in a sandbox, so even an HTML file cannot run as the site; a name not listed goes as bytes.
 */
const TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.mobi': 'application/x-mobipocket-ebook',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.stl': 'model/stl',
  '.psd': 'image/vnd.adobe.photoshop',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** The name core's private files keep a file under (core/files/private-files.ts cleans it so): compared before saving. */
function keptName(name: string): string {
  // eslint-disable-next-line no-control-regex -- the same cleaning as core's: control characters never reach a header
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(-255);
  return base || 'file';
}

const sameName = (name: string) => `This product already has a file named “${name}”. Remove it first to replace it, or rename the new one.`;

export function downloadType(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** "2.4 MB", "820 KB": sizes as the pages show them. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** A product's files, as the seller and the product page list them. */
export function filesOfProduct(productId: number): Promise<ProductDownload[]> {
  return ProductDownload.findAll({ where: { product_id: productId }, order: [['position', 'ASC'], ['id', 'ASC']] });
}

/**
 * A seller's product files and whether it sells as a download. The bytes are written to core's private files
 * first; the rows and the product's terms then change in one transaction, and if that is refused (a rule
 * below, the database) the bytes just written are removed again, so nothing is half saved.
 */
export class DownloadFiles {
  constructor(private readonly files: PrivateFiles) {}

  async save(product: Product, form: DownloadSettingsForm, uploads: ReadonlyArray<Pick<Express.Multer.File, 'buffer' | 'originalname' | 'size'>>): Promise<{ added: number }> {
    const errors: FieldErrors = {};
    const current = await ProductDownload.count({ where: { product_id: product.id } });
    if (uploads.some((u) => u.size === 0)) errors.files = 'One of the files is empty; choose it again.';
    if (current + uploads.length > MAX_PRODUCT_DOWNLOADS) errors.files = `A product delivers at most ${MAX_PRODUCT_DOWNLOADS} files; remove some first.`;
    if (form.is_digital && product.variant_count > 0) {
      errors.is_digital = 'This product has options (variants), which are sent as parcels. Remove its variants to sell it as a download.';
    }
    if (form.is_digital && current + uploads.length === 0) errors.files = 'Upload at least one file to sell this product as a download.';
    const names = uploads.map((u) => keptName(u.originalname || 'download'));
    const taken = names.find((n, i) => names.indexOf(n) !== i) ?? (names.length ? (await ProductDownload.findOne({ where: { product_id: product.id, name: names }, attributes: ['name'] }))?.name : undefined);
    if (taken) errors.files = sameName(taken);
    if (Object.keys(errors).length) throw new FormProblem(errors);

    const saved: PrivateFileInfo[] = [];
    try {
      for (const upload of uploads) saved.push(await this.files.save(upload.buffer, { name: upload.originalname || 'download', type: downloadType(upload.originalname) }));
      await Product.sequelize!.transaction(async (transaction) => {
        const last = (await ProductDownload.max<number | null, ProductDownload>('position', { where: { product_id: product.id }, transaction })) ?? -1;
        await ProductDownload.bulkCreate(
          saved.map((f, i) => ({ product_id: product.id, file_id: f.id, name: f.name, size: f.size, position: last + 1 + i })),
          { transaction },
        );
        // Checked again inside: a variant added meanwhile on another tab still keeps the product a parcel.
        const [updated] = await Product.update(
          { is_digital: form.is_digital, download_limit: form.download_limit, download_days: form.download_days },
          { where: form.is_digital ? { id: product.id, variant_count: 0 } : { id: product.id }, transaction },
        );
        if (updated !== 1) throw new FormProblem({ is_digital: 'This product has options (variants) now; it stays a parcel.' });
      });
    } catch (error) {
      for (const f of saved) await this.files.remove(f.id);
      // The same form sent twice at once: the other request added the file.
      if (error instanceof UniqueConstraintError) throw new FormProblem({ files: sameName(saved[0]?.name ?? 'this') });
      throw error;
    }
    return { added: saved.length };
  }

  /**
   * Removes one file from the product. Buyers who paid for it keep it: its bytes stay while a grant points at
   * them. The last file of a product sold as a download cannot go (the product would deliver nothing).
   */
  async remove(product: Product, downloadId: number): Promise<ProductDownload | null> {
    const file = await ProductDownload.findOne({ where: { id: downloadId, product_id: product.id } });
    if (!file) return null;
    if (product.is_digital && (await ProductDownload.count({ where: { product_id: product.id } })) === 1) {
      throw new FormProblem({ files: `“${file.name}” is the only file of a product sold as a download. Upload another first, or stop selling it as a download.` });
    }
    await file.destroy();
    await DownloadGrant.update({ product_download_id: null }, { where: { product_download_id: file.id } });
    if ((await DownloadGrant.count({ where: { file_id: file.file_id } })) === 0) await this.files.remove(file.file_id);
    return file;
  }
}
