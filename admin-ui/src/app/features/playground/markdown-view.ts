import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { parseMarkdown, type Span } from './markdown';

/** Renders an answer's markdown with bindings only (see markdown.ts); code blocks are highlighted. */
@Component({
  selector: 'app-markdown-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ng-template #inline let-spans>
      @for (span of asSpans(spans); track $index) {
        @switch (span.kind) {
          @case ('code') {
            <code>{{ span.text }}</code>
          }
          @case ('strong') {
            <strong>{{ span.text }}</strong>
          }
          @case ('em') {
            <em>{{ span.text }}</em>
          }
          @default {
            {{ span.text }}
          }
        }
      }
    </ng-template>
    @for (block of blocks(); track $index) {
      @switch (block.kind) {
        @case ('code') {
          <div class="code">
            @if (block.language) {
              <span class="language">{{ block.language }}</span>
            }
            <pre
              tabindex="0"
              [attr.aria-label]="(block.language || 'Code') + ' block'"
            ><code>@for (token of block.tokens; track $index) {<span [class]="'tok-' + token.kind">{{ token.text }}</span>}</code></pre>
          </div>
        }
        @case ('heading') {
          <p class="heading" [class]="'h' + block.level" role="heading" [attr.aria-level]="block.level + 2">
            <ng-container *ngTemplateOutlet="inline; context: { $implicit: block.spans }" />
          </p>
        }
        @case ('list') {
          @if (block.ordered) {
            <ol>
              @for (item of block.items; track $index) {
                <li><ng-container *ngTemplateOutlet="inline; context: { $implicit: item }" /></li>
              }
            </ol>
          } @else {
            <ul>
              @for (item of block.items; track $index) {
                <li><ng-container *ngTemplateOutlet="inline; context: { $implicit: item }" /></li>
              }
            </ul>
          }
        }
        @default {
          <p><ng-container *ngTemplateOutlet="inline; context: { $implicit: block.spans }" /></p>
        }
      }
    }
  `,
  imports: [NgTemplateOutlet],
  styles: `
    :host {
      display: block;
      overflow-wrap: anywhere;
    }
    p,
    ul,
    ol {
      margin: 0 0 8px;
    }
    .heading {
      font-weight: 600;
    }
    .h1 {
      font: var(--mat-sys-title-large);
    }
    .h2 {
      font: var(--mat-sys-title-medium);
    }
    code {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.92em;
    }
    .code {
      position: relative;
      margin: 0 0 8px;
    }
    .language {
      display: block;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
      margin-bottom: 2px;
    }
    pre {
      margin: 0;
      padding: 12px;
      overflow-x: auto;
      max-width: 100%;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface);
    }
    .tok-keyword {
      color: var(--mat-sys-primary);
      font-weight: 600;
    }
    .tok-string {
      color: var(--mat-sys-tertiary);
    }
    .tok-number {
      color: var(--mat-sys-secondary);
    }
    .tok-comment {
      color: var(--mat-sys-on-surface-variant);
      font-style: italic;
    }
  `,
})
export class MarkdownView {
  readonly text = input.required<string>();
  protected readonly blocks = computed(() => parseMarkdown(this.text()));

  /** The template context is untyped; the spans come from parseMarkdown. */
  protected asSpans(spans: unknown): Span[] {
    return spans as Span[];
  }
}
