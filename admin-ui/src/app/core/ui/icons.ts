import { inject } from '@angular/core';
import { MatIconRegistry } from '@angular/material/icon';
import { DomSanitizer } from '@angular/platform-browser';

/**
 * Icons are Material Design SVGs copied into `/icons` at build time (see angular.json assets), so
 * the console needs no font download and works offline. Add a name there before using it here.
 */
export function registerIcons(): void {
  const registry = inject(MatIconRegistry);
  const sanitizer = inject(DomSanitizer);
  registry.addSvgIconResolver((name, namespace) =>
    namespace === '' && /^[a-z0-9_]+$/.test(name)
      ? sanitizer.bypassSecurityTrustResourceUrl(`icons/${name}.svg`)
      : null,
  );
}
