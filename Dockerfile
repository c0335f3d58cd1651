FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
# postinstall generates the Prisma client and builds dist/ (with the devDependencies, so before
# NODE_ENV=production, which would make npm leave them out).
RUN npm ci --no-audit --no-fund
# The image runs production: JWT_SECRET is required at start (an unset NODE_ENV means the same).
ENV NODE_ENV=production
EXPOSE 3000
CMD ["npm", "run", "start:api"]
