import { Global, Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AppConfig } from '../config/app-config';

/** Hides credentials when a URI is logged. */
export function redactMongoUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

/** One Mongoose connection from MONGODB_URI, retried with a clear message when unreachable. */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const uri = config.mongodbUri;
        if (!uri) throw new Error('MONGODB_URI is not set and no embedded database was started');
        const logger = new Logger('Database');
        return {
          uri,
          serverSelectionTimeoutMS: 5_000,
          retryAttempts: config.isProduction ? 30 : 5,
          retryDelay: 2_000,
          // Indexes are created by the app at boot; fine for config collections, and FerretDB needs it.
          autoIndex: true,
          connectionErrorFactory: (error: Error) => {
            const reason = `Cannot connect to MongoDB at ${redactMongoUri(uri)}: ${error.message}`;
            logger.error(reason);
            return new Error(reason);
          },
        };
      },
    }),
  ],
})
export class DatabaseModule {}
