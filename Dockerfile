# Draftroom app image: the API and the built web client in one Node 20 process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000
# DATABASE_URL must point at PostgreSQL (see docker-compose.yml); the embedded server is for local use.
# Node flags as in `npm start` (a larger young generation: fewer collections under load; a test checks they match).
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "server/src/main.ts"]
