// Multipart parsing with a size cap moved to core (ctx.files.upload), so reviews and messaging share it.
export { filesOf, multipartForm, type UploadProblem } from '@agora/core';
