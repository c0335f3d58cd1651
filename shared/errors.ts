/** One application error: a stable code, an HTTP status, a human message and optional details. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: {
      errors?: { path: string; message: string }[];
      headers?: Record<string, string>;
    },
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string) => new AppError(code, 400, message);
export const unauthorized = (code = 'AUTH_INVALID', message = 'Authentication required') =>
  new AppError(code, 401, message);
export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', 403, message);
export const notFound = (code: string, message: string) => new AppError(code, 404, message);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const unprocessable = (code: string, message: string) => new AppError(code, 422, message);
export const unavailable = (code: string, message: string) => new AppError(code, 503, message);
