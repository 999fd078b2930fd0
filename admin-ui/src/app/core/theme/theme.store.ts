import { DOCUMENT } from '@angular/common';
import { effect, inject, Injectable, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';

const STORAGE_KEY = 'prism.theme';

/** Light/dark theme, remembered per browser; defaults to the operating system's preference. */
@Injectable({ providedIn: 'root' })
export class ThemeStore {
  private readonly document = inject(DOCUMENT);
  private readonly modeState = signal<ThemeMode>(this.initialMode());

  readonly mode = this.modeState.asReadonly();

  constructor() {
    effect(() => {
      const mode = this.modeState();
      const root = this.document.documentElement;
      root.classList.toggle('dark-theme', mode === 'dark');
      root.classList.toggle('light-theme', mode === 'light');
    });
  }

  toggle(): void {
    this.set(this.modeState() === 'dark' ? 'light' : 'dark');
  }

  set(mode: ThemeMode): void {
    this.modeState.set(mode);
    try {
      this.document.defaultView?.localStorage.setItem(STORAGE_KEY, mode);
    } catch {
      // Storage can be disabled (private mode); the theme then lasts for this page only.
    }
  }

  private initialMode(): ThemeMode {
    const view = this.document.defaultView;
    try {
      const stored = view?.localStorage.getItem(STORAGE_KEY);
      if (stored === 'light' || stored === 'dark') return stored;
    } catch {
      // Fall through to the system preference.
    }
    // Not every environment has matchMedia (jsdom in unit tests does not).
    const matchMedia = (view as { matchMedia?: Window['matchMedia'] } | null)?.matchMedia;
    return typeof matchMedia === 'function' && matchMedia.call(view, '(prefers-color-scheme: dark)').matches
      ? 'dark'
      : 'light';
  }
}
