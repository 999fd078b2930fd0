import { computed, inject, Injectable } from '@angular/core';

import { Api } from '../../api/api';
import { usersCreate } from '../../api/fn/users/users-create';
import { usersDelete } from '../../api/fn/users/users-delete';
import { usersDisable } from '../../api/fn/users/users-disable';
import { usersEnable } from '../../api/fn/users/users-enable';
import { usersList, type UsersList$Params } from '../../api/fn/users/users-list';
import { usersResetPassword } from '../../api/fn/users/users-reset-password';
import { usersUpdate } from '../../api/fn/users/users-update';
import { type CreateUserDto } from '../../api/models/create-user-dto';
import { type Role } from '../../core/auth/permissions';
import { type UpdateUserDto } from '../../api/models/update-user-dto';
import { type UserResponseDto } from '../../api/models/user-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';
import { type Page, PagedListStore } from '../../core/state/paged-list-store';

export type UserSource = UserResponseDto['source'];
export type UserStateFilter = '' | 'active' | 'disabled';

export interface UserFilter {
  search: string;
  role: Role | '';
  source: UserSource | '';
  state: UserStateFilter;
}

export const EMPTY_USER_FILTER: UserFilter = { search: '', role: '', source: '', state: '' };

/**
 * Console users (admin only): one server-filtered page at a time; create, edit role/tenants,
 * enable/disable, reset password, delete.
 */
@Injectable()
export class UsersStore extends PagedListStore<UserResponseDto, UserFilter> {
  private readonly api = inject(Api);

  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();

  readonly users = this.items;
  readonly filtered = computed(() => {
    const { search, role, source, state } = this.filter();
    return search.trim() !== '' || role !== '' || source !== '' || state !== '';
  });

  constructor() {
    super(EMPTY_USER_FILTER);
  }

  protected fetch(): Promise<Page<UserResponseDto>> {
    return this.api.invoke(usersList, this.params());
  }

  /** Query parameters of the current page; empty filters are left out. */
  params(): UsersList$Params {
    const { search, role, source, state } = this.filter();
    return {
      page: this.page(),
      pageSize: this.pageSize(),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(role ? { role } : {}),
      ...(source ? { source } : {}),
      ...(state ? { active: state === 'active' } : {}),
    };
  }

  async create(body: CreateUserDto): Promise<TaskResult<UserResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(usersCreate, { body }));
    // The new user lands wherever the server's order puts it: reload the current page.
    if (result.ok) await this.load();
    return result;
  }

  async update(id: string, body: UpdateUserDto): Promise<TaskResult<UserResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(usersUpdate, { id, body }));
    if (result.ok) this.replace(result.value);
    return result;
  }

  async resetPassword(
    id: string,
    password: string,
    mustChangePassword: boolean,
  ): Promise<TaskResult<UserResponseDto>> {
    const result = await this.save$.run(() =>
      this.api.invoke(usersResetPassword, { id, body: { password, mustChangePassword } }),
    );
    if (result.ok) this.replace(result.value);
    return result;
  }

  async setActive(user: UserResponseDto, active: boolean): Promise<TaskResult<UserResponseDto>> {
    const result = await this.action$.run(() =>
      active ? this.api.invoke(usersEnable, { id: user.id }) : this.api.invoke(usersDisable, { id: user.id }),
    );
    if (result.ok) this.replace(result.value);
    return result;
  }

  async remove(user: UserResponseDto): Promise<TaskResult<unknown>> {
    const result = await this.action$.run(() => this.api.invoke(usersDelete, { id: user.id }));
    if (result.ok) {
      // Step back when the last row of the last page went away.
      if (this.users().length === 1 && this.page() > 1) this.page.update((page) => page - 1);
      await this.load();
    }
    return result;
  }

  /** Shows the server's new version of a row in place (the page keeps its order until reloaded). */
  private replace(user: UserResponseDto): void {
    this.users.update((users) => users.map((u) => (u.id === user.id ? user : u)));
  }
}
