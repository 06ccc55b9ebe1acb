// The public API of Agora core: everything a plugin may use, behind one import
// specifier ('@agora/core'), so bundled plugins and plugins installed from a .zip
// into DATA_DIR/plugins resolve the same module. Plugins must not import core's
// files directly (eslint: no-restricted-imports). Add `export` lines here for
// what plugins need; keep one line per module so parallel edits do not clash.

// Plugin definition and context
export { definePlugin } from './plugins/define-plugin';
export type { PluginDefinition } from './plugins/define-plugin';
export type { PluginContext } from './plugins/context';
export type { PluginManifest } from './plugins/manifest';
export { CORE_VERSION } from './plugins/plugin-dependencies';

// Hooks
export type {
  ActionMap,
  FilterMap,
  ActionName,
  FilterName,
  FilterValue,
  FilterExtra,
  ActionListener,
  FilterListener,
  ListenerOptions,
  Disposer,
  Hooks,
  HookFailure,
} from './hooks';

// HTTP helpers
export { HttpError, notFound, forbidden } from './http/errors';
export { parseForm } from './http/validation';
export { csvCell, csvRow, toCsv } from './http/csv';
export type { FieldErrors, Parsed } from './http/validation';
/** For a plugin that parses a body itself (core checks urlencoded, JSON and multipart forms already). */
export { isStorableInput, isStorableText, UNSTORABLE_MESSAGE } from './http/clean-input';
export { formatMoney, minorPerMajor, parseMoney } from './http/money';
export { pageFrom, pageUrl, pager } from './http/pagination';
export type { Page, Pager, PagerInput } from './http/pagination';
export { requireUser, requireCapability } from './http/guards';
export type { FlashMessage } from './http/express-types';
export { escapeHtml, html, raw, TrustedHtml } from './http/html';

// Admin shell
export type { MenuItem, DashboardWidget } from './admin/menu';
export type { SettingField, SettingsDefinition, SettingsErrors } from './admin/settings-registry';

// Auth and capabilities
export { ROLES } from './auth/capabilities';
export type { Role, Actor, ObjectRule, Capabilities } from './auth/capabilities';
export { User } from './auth/user-model';
export { hashPassword, verifyPassword } from './auth/passwords';
export { ROLE_RANK, regenerateSession, type RoleChange } from './auth/privilege';

// Database
export type { Migration, MigrationContext } from './db/migrator';
export { isPostgres } from './db/database';

// Privacy (personal-data also marks model columns `personal: true`, a Sequelize augmentation)
export { personalAttributes } from './privacy/personal-data';
export type {
  Person,
  ExportItem,
  ExportPage,
  Retained,
  ErasePage,
  Exporter,
  Eraser,
  Coverage,
  ExportResult,
  EraseResult,
} from './privacy/registry';
export { LEGAL_BASES, retentionDays } from './privacy/declarations';
export type { LegalBasis, RetentionDeclaration, RetentionOutcome, RetentionScope, ProcessingDeclaration } from './privacy/declarations';
export { retentionWhere } from './privacy/retention-scope';
export type { PersonColumns, RetentionWhere } from './privacy/retention-scope';
// Encryption at rest of the most sensitive personal fields (`encrypted: true` is a Sequelize augmentation too)
export { encryptedAttribute } from './privacy/encryption/encrypted-attribute';
export { encryptColumns, decryptColumns } from './privacy/encryption/column-migration';
export { DataKeyError } from './privacy/encryption/data-keys';
export type { FieldEncryption, EncryptedField, EncryptedFieldStatus, ReencryptOutcome } from './privacy/encryption/field-encryption';

// Mail
export type { MailMessage } from './mail/mailer';

// Logging
export type { Logger } from './log';

// Several instances: the bus between them (issue 15)
export type { InstanceBus, BusMessage, BusListener } from './cluster/instance-bus';

// Added by other parts of issue #7 (append below)

// Form sections (part A)
export type { FormSectionMap, FormSectionName, FormExtension, FormFragment, FormRenderView, RenderContextOf, CommitContextOf } from './forms/section-map';
export { FormSectionError } from './forms/section-error';
export { fragment } from './forms/fragment';
export type { FormRegistry, RenderedSection, SectionParse, SectionScope, RenderScope, SectionValues, DeclaredSection, SectionExtensionFactory } from './forms/registry';
export type { PluginForms } from './forms/plugin-forms';

// HTTP extension points, cookie guard, files (part C)
export type { PluginHttp } from './http/plugin-http';
export type { MiddlewareStage } from './http/middleware-registry';
export type { ConsentCategory, ConsentCategoryMap, CookieDeclaration, ScriptDeclaration } from './http/assets';
export { CORE_COOKIES, type CookieRefusal } from './http/cookie-guard';
export type { PluginFiles } from './files/file-service';
export type { PublicFiles, PublicFileBatch, PublicFile } from './files/public-files';
export type { PrivateFileInfo, PrivateFiles } from './files/private-files';
export { ImageRejected, STANDARD_VARIANTS, megabytes, processImage } from './files/images';
export type { ImageVariant, ImageOptions, ProcessedImage } from './files/images';
export { multipartForm, filesOf } from './files/multipart';
export type { UploadField, UploadProblem } from './files/multipart';
export type { ServiceMap, ServiceName } from './plugins/services';

// Transactions, jobs and schedules (part B)
export { currentTransaction, inTransaction, afterCommit, rootTransaction } from './db/transaction';
// Reads every page makes, kept in memory and dropped by any write to their models, on every instance (docs/performance.md).
export { readCache, type ReadCache } from './db/read-cache';
export { leanRead, leanModelRead, observeLeanReads, type LeanRead, type LeanModelRead, type LeanColumns } from './db/lean-read';
// Reads asked for from several places of one request, made once (the header's counts, a seller's shops).
export { perRequest, forgetPerRequest } from './http/request-memo';
export type { JobMap, JobName, JobPayload, JobHandler, PluginJobName } from './jobs/job-map';
export type { EnqueueOptions, ScheduleOptions, JobInfo, JobStatus, JobQueue } from './jobs/job-queue';
export type { PluginJobs } from './jobs/plugin-jobs';

// Typed slots and mail (part D)
export type { SlotMap, SlotName, SlotContext, SlotBase, SlotFill, SlotFragment, SlotQuery } from './themes/slots';
export { cancelMail } from './mail/message';
// Erasing what kept emails said, keeping that they were sent (part H, issue 8)
export { eraseMailBodies, ERASED_BODY } from './mail/outbox-redaction';
export type { MailSelector } from './mail/outbox-redaction';
export type { MailCategory, MailCancellation, OutgoingMail, MailUnsubscribe } from './mail/message';
export type { StoreMailSettings } from './mail/mail-layout';
// Signed link tokens and plugin rate limits (issue 11, newsletter)
export { signToken, readToken } from './http/signed-tokens';
export type { TokenClaims, TokenReading, SignOptions } from './http/signed-tokens';
export type { PluginRateLimit } from './http/plugin-http';
