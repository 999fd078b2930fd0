import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { usersCreate } from '../../api/fn/users/users-create';
import { usersDelete } from '../../api/fn/users/users-delete';
import { usersDisable } from '../../api/fn/users/users-disable';
import { usersEnable } from '../../api/fn/users/users-enable';
import { usersList } from '../../api/fn/users/users-list';
import { usersResetPassword } from '../../api/fn/users/users-reset-password';
import { usersUpdate } from '../../api/fn/users/users-update';
import { type CreateUserDto } from '../../api/models/create-user-dto';
import { type UpdateUserDto } from '../../api/models/update-user-dto';
import { type UserResponseDto } from '../../api/models/user-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** Console users (admin only): list, create, edit role/tenants, enable/disable, reset password, delete. */
@Injectable()
export class UsersStore {
  private readonly api = inject(Api);
  private readonly usersState = signal<UserResponseDto[]>([]);
  private readonly searchState = signal('');

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();

  readonly users = this.usersState.asReadonly();
  readonly search = this.searchState.asReadonly();
  /** The server returns every user (a small set); searching is local. */
  readonly filtered = computed(() => {
    const needle = this.searchState().trim().toLowerCase();
    const users = this.usersState();
    if (!needle) return users;
    return users.filter((u) => u.username.includes(needle) || u.role.includes(needle) || u.source === needle);
  });
  readonly loaded = signal(false);

  setSearch(value: string): void {
    this.searchState.set(value);
  }

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(usersList));
    if (result.ok) {
      this.usersState.set([...result.value].sort((a, b) => a.username.localeCompare(b.username)));
      this.loaded.set(true);
    }
  }

  async create(body: CreateUserDto): Promise<TaskResult<UserResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(usersCreate, { body }));
    if (result.ok) this.upsert(result.value);
    return result;
  }

  async update(id: string, body: UpdateUserDto): Promise<TaskResult<UserResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(usersUpdate, { id, body }));
    if (result.ok) this.upsert(result.value);
    return result;
  }

  async resetPassword(
    id: string,
    password: string,
    mustChangePassword: boolean,
  ): Promise<TaskResult<UserResponseDto>> {
    return this.save$.run(() =>
      this.api.invoke(usersResetPassword, { id, body: { password, mustChangePassword } }),
    );
  }

  async setActive(user: UserResponseDto, active: boolean): Promise<TaskResult<UserResponseDto>> {
    const result = await this.action$.run(() =>
      active ? this.api.invoke(usersEnable, { id: user.id }) : this.api.invoke(usersDisable, { id: user.id }),
    );
    if (result.ok) this.upsert(result.value);
    return result;
  }

  async remove(user: UserResponseDto): Promise<TaskResult<unknown>> {
    const result = await this.action$.run(() => this.api.invoke(usersDelete, { id: user.id }));
    if (result.ok) this.usersState.update((users) => users.filter((u) => u.id !== user.id));
    return result;
  }

  private upsert(user: UserResponseDto): void {
    this.usersState.update((users) => {
      const others = users.filter((u) => u.id !== user.id);
      return [...others, user].sort((a, b) => a.username.localeCompare(b.username));
    });
  }
}
