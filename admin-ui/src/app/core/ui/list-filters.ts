import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { type FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { TIERS } from '../routing/tiers';

/** One choice of a filter select; list the "any" choice first (its value is the filter's empty one). */
export interface ListFilterOption {
  value: string;
  label: string;
}

/**
 * A select's options: the "any" choice first (`anyValue`, the filter's empty value), then the
 * choices, given as `{ value: label }` or as values that are their own labels.
 */
export function filterOptions(
  choices: Readonly<Record<string, string>> | readonly string[],
  anyLabel: 'Any' | 'All' = 'Any',
  anyValue = '',
): ListFilterOption[] {
  const entries = Array.isArray(choices)
    ? choices.map((value: string) => [value, value] as const)
    : Object.entries(choices as Readonly<Record<string, string>>);
  return [{ value: anyValue, label: anyLabel }, ...entries.map(([value, label]) => ({ value, label }))];
}

/** The tier select of the category and model lists. */
export const TIER_FILTER: ListSelectFilter = {
  control: 'tier',
  label: 'Tier',
  options: filterOptions(TIERS, 'All'),
};

/** A select of the filter bar; choosing applies the filters at once. */
export interface ListSelectFilter {
  /** Name of the control in the form. */
  control: string;
  label: string;
  options: readonly ListFilterOption[];
}

/** The free-text field of the filter bar (applied by Search or Enter). */
export interface ListSearchFilter {
  control: string;
  label: string;
  maxLength: number;
}

/**
 * The filter bar above every server-paginated admin list (tenants, models, users, categories): a
 * search field, selects that apply at once, Search and (optionally) Reset. The page owns the form
 * and says what `apply` and `resetFilters` do.
 */
@Component({
  selector: 'app-list-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <form class="filters" [formGroup]="form()" (ngSubmit)="apply.emit()" [attr.aria-label]="label()">
      <mat-form-field class="search">
        <mat-label>{{ search().label }}</mat-label>
        <mat-icon matPrefix svgIcon="search" />
        <input matInput type="search" [formControlName]="search().control" [maxlength]="search().maxLength" />
      </mat-form-field>
      @for (select of selects(); track select.control) {
        <mat-form-field>
          <mat-label>{{ select.label }}</mat-label>
          <mat-select [formControlName]="select.control" (selectionChange)="apply.emit()">
            @for (option of select.options; track option.value) {
              <mat-option [value]="option.value">{{ option.label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      }
      <div class="filter-actions">
        <button mat-stroked-button type="submit">Search</button>
        @if (resettable()) {
          <button mat-button type="button" (click)="resetFilters.emit()">Reset</button>
        }
      </div>
    </form>
  `,
  styles: `
    @use '@angular/material' as mat;

    .filters {
      @include mat.form-field-density(-3);
      display: flex;
      flex-wrap: wrap;
      gap: 8px 12px;
      align-items: flex-start;

      mat-form-field {
        width: 150px;
      }

      .search {
        width: 260px;
      }
    }

    .filter-actions {
      display: flex;
      gap: 8px;
      padding-top: 8px;
    }
  `,
})
export class ListFilters {
  readonly form = input.required<FormGroup>();
  /** Accessible name of the form ("Filter users"). */
  readonly label = input.required<string>();
  readonly search = input.required<ListSearchFilter>();
  readonly selects = input<readonly ListSelectFilter[]>([]);
  /** Offer Reset (back to the empty filter). */
  readonly resettable = input(true);
  readonly apply = output();
  readonly resetFilters = output();
}
