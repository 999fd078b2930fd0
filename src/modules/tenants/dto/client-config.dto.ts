import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';

import { CLIENT_TOOLS } from '../client-config';

export class ClientConfigQueryDto {
  /** Public origin of the gateway (e.g. https://llm.example.com); default: from the request. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(300)
  baseUrl?: string;
}

export class ClientConfigResponseDto {
  @ApiProperty({ enum: CLIENT_TOOLS })
  tool!: string;
  title!: string;
  /** Where the content goes (a file path, or where to paste it). */
  target!: string;
  @ApiProperty({ enum: ['yaml', 'json', 'shell', 'python', 'javascript', 'text'] })
  format!: string;
  /** Ready to paste; the key is the placeholder `<YOUR_API_KEY>`. */
  content!: string;
  instructions!: string[];
  /** OpenAI-compatible base URL of this tenant. */
  endpoint!: string;
}
