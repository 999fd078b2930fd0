import { Module } from '@nestjs/common';

import { AppConfig } from '../../core/config/app-config';
import { SecretBox } from './secret-box';

/** Provides the SecretBox keyed with ENCRYPTION_KEY; import it where secrets are stored or read. */
@Module({
  providers: [
    { provide: SecretBox, inject: [AppConfig], useFactory: (c: AppConfig) => new SecretBox(c.encryptionKey) },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
