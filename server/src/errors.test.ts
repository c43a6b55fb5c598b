import { describe, expect, it } from 'vitest';
import { AppError, forbidden, hiddenAs, notFound } from './errors.ts';

describe('hiddenAs', () => {
  it('names a hidden parent as the thing asked for, and lets every other failure through as it is', async () => {
    await expect(hiddenAs(Promise.reject(notFound('definition')), 'review')).rejects.toMatchObject({ statusCode: 404, message: 'No such review' });
    await expect(hiddenAs(Promise.reject(forbidden('no')), 'review')).rejects.toMatchObject({ statusCode: 403 });
    const outage = new Error('connection terminated');
    await expect(hiddenAs(Promise.reject(outage), 'review')).rejects.toBe(outage);
    await expect(hiddenAs(Promise.resolve(7), 'review')).resolves.toBe(7);
    expect(notFound()).toBeInstanceOf(AppError);
  });
});
