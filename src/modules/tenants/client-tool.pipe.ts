import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

import { CLIENT_TOOLS, type ClientTool } from './client-config';

/** Validates the `:tool` path parameter of the client-config routes. */
@Injectable()
export class ClientToolPipe implements PipeTransform<string, ClientTool> {
  transform(value: string): ClientTool {
    if (!(CLIENT_TOOLS as readonly string[]).includes(value)) {
      throw new BadRequestException({
        message: `Unknown tool ${value}; one of: ${CLIENT_TOOLS.join(', ')}`,
        details: { field: 'tool' },
      });
    }
    return value as ClientTool;
  }
}
