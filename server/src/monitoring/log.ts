// Structured JSON logs. Credentials are redacted wherever they could appear.
import pino, { type Logger } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'countersign' },
      redact: {
        paths: ['*.authorization', '*.headers.authorization', '*["x-api-key"]', '*.headers["x-api-key"]', '*.key', '*.secret', '*.token', '*.accessToken'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
