import express from 'express';
import request from 'supertest';
import { ZodError } from 'zod';
import { errorHandler, createMetrics } from '../../../adapters/index.js';
import { segmentSchema } from '../../../core/campaigns/index.js';
import { MalformedInputError, parseInput, ValidationError } from '../../../core/index.js';

describe('core input validation', () => {
  it('turns a schema mismatch into MalformedInputError with every issue by path, never a ZodError', () => {
    let caught: unknown;
    try {
      parseInput(segmentSchema, { lifecycle: ['zombie'], locales: [] }, 'segment');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedInputError);
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).not.toBeInstanceOf(ZodError);
    const error = caught as MalformedInputError;
    expect(error.code).toBe('invalid_request');
    expect((error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['segment.lifecycle.0', 'segment.locales']);
    expect(error.cause).toBeInstanceOf(ZodError);
  });

  it('answers 400 for malformed input and 422 for other validation errors, at the one HTTP error mapping', async () => {
    const app = express();
    app.get('/malformed', () => parseInput(segmentSchema, { platforms: ['fax'] }, 'segment'));
    app.get('/unprocessable', () => { throw new ValidationError('course_not_found', 'No such course.'); });
    app.use(errorHandler(createMetrics()));
    const malformed = await request(app).get('/malformed').expect(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'segment.platforms.0' }] });
    await request(app).get('/unprocessable').expect(422);
  });
});
