import { Injectable } from '@angular/core';
import { Subject } from 'rxjs';

/**
 * Decouples the HTTP interceptor from the AuthStore (which itself makes HTTP calls): the
 * interceptor reports a rejected session here, the store reacts.
 */
@Injectable({ providedIn: 'root' })
export class SessionEvents {
  private readonly unauthorizedSubject = new Subject<void>();
  readonly unauthorized$ = this.unauthorizedSubject.asObservable();

  reportUnauthorized(): void {
    this.unauthorizedSubject.next();
  }
}
