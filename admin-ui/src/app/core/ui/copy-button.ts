import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

/** Copies `value` to the clipboard and confirms it for two seconds (announced to screen readers). */
@Component({
  selector: 'app-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  template: `
    <button
      mat-icon-button
      type="button"
      [attr.aria-label]="copied() ? 'Copied' : label()"
      [matTooltip]="copied() ? 'Copied' : label()"
      (click)="copy()"
    >
      <mat-icon [svgIcon]="copied() ? 'check' : 'content_copy'" />
    </button>
    <span class="visually-hidden" aria-live="polite">{{ copied() ? 'Copied to the clipboard' : '' }}</span>
  `,
})
export class CopyButton {
  private readonly clipboard = inject(Clipboard);
  readonly value = input.required<string>();
  readonly label = input('Copy');
  protected readonly copied = signal(false);
  private timer: ReturnType<typeof setTimeout> | undefined;

  protected copy(): void {
    if (!this.clipboard.copy(this.value())) return;
    this.copied.set(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.copied.set(false);
    }, 2000);
  }
}
