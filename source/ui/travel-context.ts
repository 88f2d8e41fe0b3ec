// Gives the version panels the history (for the weight row) without threading it through App.
import {createContext} from 'react';
import type {TimeTravel} from '../history/travel.js';

export const TravelContext = createContext<TimeTravel | undefined>(undefined);
